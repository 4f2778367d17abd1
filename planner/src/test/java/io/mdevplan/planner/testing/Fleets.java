package io.mdevplan.planner.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.fleet.FleetValidator;
import io.mdevplan.planner.fleet.FleetWorkload;

/** Fleet documents for tests, small enough to work out the right answer by hand. */
public final class Fleets {

    private Fleets() {
    }

    /** An mtty-like parent: 24 ports; mtty-1 costs 1, mtty-2 costs 2, agg-4 costs 3 per instance and aggregates up to 4. */
    public static FleetParent mtty(String address, boolean mixedTypes, FleetDevice... devices) {
        return new FleetParent(address, "mtty", mixedTypes, Map.of("ports", 24L), List.of(
                new FleetType("mtty-1", "Single port serial", "vfio-pci", Map.of("ports", 1L), Aggregation.NONE, null),
                new FleetType("mtty-2", "Dual port serial", "vfio-pci", Map.of("ports", 2L), Aggregation.NONE, null),
                new FleetType("agg-4", "Aggregating", "vfio-pci", Map.of("ports", 3L), Aggregation.ATTRIBUTE, 4)),
                List.of(devices));
    }

    public static FleetHost host(String name, Map<String, String> labels, boolean schedulable, FleetParent... parents) {
        return new FleetHost(name, labels, schedulable, List.of(parents));
    }

    public static FleetHost host(String name, FleetParent... parents) {
        return host(name, Map.of("zone", "a"), true, parents);
    }

    public static FleetDevice device(int n, String type, int instances, String workload) {
        return new FleetDevice(String.format("00000000-0000-4000-8000-%012d", n), type, instances, workload);
    }

    public static FleetWorkload workload(String id, String type, int instances) {
        return new FleetWorkload(id, type, instances, null, null, null);
    }

    public static FleetWorkload workload(String id, String type, int instances, int priority, String group,
            Map<String, String> selector) {
        return new FleetWorkload(id, type, instances, priority, group, selector);
    }

    /** A valid document: fails the test at once if the fixture itself is wrong. */
    public static FleetDocument fleet(List<FleetHost> hosts, List<FleetWorkload> workloads) {
        var document = new FleetDocument(hosts, workloads);
        var problems = FleetValidator.validate(document);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Test fleet is invalid: " + problems);
        }
        return document;
    }

    /** One of the bundled example fleets in planner/examples. */
    public static FleetDocument example(String name) {
        return FleetJson.read(examplePath(name));
    }

    public static Path examplePath(String name) {
        return Path.of("examples", name + ".json");
    }
}
