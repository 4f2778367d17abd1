package io.mdevplan.web.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;

/** Small fleets whose arithmetic a test can do by hand. */
public final class TestFleets {

    private TestFleets() {
    }

    /**
     * Hosts node-1 .. node-n as {@link #dsaHost} makes them, without devices.
     */
    public static String dsa(int hosts) {
        var fleetHosts = new ArrayList<FleetHost>();
        for (var i = 1; i <= hosts; i++) {
            fleetHosts.add(dsaHost(i, List.of()));
        }
        return FleetJson.toJson(new FleetDocument(fleetHosts, List.of()));
    }

    /**
     * Host node-i (in zone a when i is odd, b when even) with a DSA parent 0000:6a:01.0 (pools wq 8 and engines 4;
     * dsa-wq takes 1 wq per instance and aggregates up to 4 by attribute, dsa-eng takes 1 wq and 1 engine) and an
     * mdpy parent (4 devices of mdpy-vga) holding {@code mdpyDevices}.
     */
    public static FleetHost dsaHost(int i, List<FleetDevice> mdpyDevices) {
        var dsa = new FleetParent("0000:6a:01.0", "idxd", true, new TreeMap<>(Map.of("wq", 8L, "engines", 4L)),
                List.of(new FleetType("dsa-wq", "dsa-1dwq-v1", "vfio-pci", Map.of("wq", 1L, "engines", 0L),
                                Aggregation.ATTRIBUTE, 4),
                        new FleetType("dsa-eng", "dsa-1swq-v1", "vfio-pci", Map.of("wq", 1L, "engines", 1L),
                                Aggregation.NONE, null)), List.of());
        var mdpy = new FleetParent("mdpy", "mdpy", true, Map.of("instances", 4L), List.of(
                new FleetType("mdpy-vga", "vga", "vfio-pci", Map.of("instances", 1L), Aggregation.NONE, null)),
                mdpyDevices);
        return new FleetHost("node-" + i, Map.of("zone", i % 2 == 1 ? "a" : "b"), true, List.of(dsa, mdpy));
    }
}
