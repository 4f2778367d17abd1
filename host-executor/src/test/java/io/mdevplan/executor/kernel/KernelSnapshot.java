package io.mdevplan.executor.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.mdevplan.planner.capacity.DeviceObservation;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;

/**
 * The kernel's view after one step of a guest scenario (snapshots/NNN-LABEL.tsv, written by common.sh's snapshot),
 * with the executor's inventory taken at the same moment where the scenario asked for one (NNN-LABEL.json).
 */
record KernelSnapshot(String label, List<TypeRow> types, List<DeviceRow> devices, Optional<FleetHost> inventory) {

    /** A type directory: its available_instances, device_api and name. */
    record TypeRow(String parent, String type, long available, String deviceApi, String name) {
    }

    /** A device with the instances it holds (mdev/aggregation, else 1). */
    record DeviceRow(String parent, String type, String uuid, int instances) {
    }

    /** Every snapshot in the directory, in the order the guest took them. */
    static List<KernelSnapshot> readAll(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        var snapshots = new ArrayList<KernelSnapshot>();
        try (Stream<Path> files = Files.list(dir)) {
            for (var tsv : files.filter(file -> file.toString().endsWith(".tsv")).sorted().toList()) {
                snapshots.add(read(tsv));
            }
        }
        return snapshots;
    }

    private static KernelSnapshot read(Path tsv) throws IOException {
        var types = new ArrayList<TypeRow>();
        var devices = new ArrayList<DeviceRow>();
        for (var line : Files.readAllLines(tsv)) {
            var fields = line.split("\t", -1);
            if (fields[0].equals("type")) {
                types.add(new TypeRow(fields[1], fields[2], Long.parseLong(fields[3]), fields[4], fields[5]));
            } else if (fields[0].equals("device")) {
                devices.add(new DeviceRow(fields[1], fields[2], fields[3], Integer.parseInt(fields[4])));
            }
        }
        var name = tsv.getFileName().toString().replaceFirst("\\.tsv$", "");
        var json = tsv.resolveSibling(name + ".json");
        Optional<FleetHost> inventory = Optional.empty();
        if (Files.exists(json) && Files.size(json) > 0) {
            inventory = Optional.of(FleetJson.mapper().readValue(json.toFile(), FleetHost.class));
        }
        return new KernelSnapshot(name, types, devices, inventory);
    }

    List<String> parents() {
        return List.copyOf(new TreeSet<>(types.stream().map(TypeRow::parent).toList()));
    }

    /** available_instances of every type of the parent, by type id. */
    TreeMap<String, Long> available(String parent) {
        var available = new TreeMap<String, Long>();
        types.stream().filter(row -> row.parent().equals(parent))
                .forEach(row -> available.put(row.type(), row.available()));
        return available;
    }

    List<DeviceObservation> deviceObservations(String parent) {
        return devices.stream().filter(row -> row.parent().equals(parent))
                .map(row -> new DeviceObservation(row.uuid(), row.type(), row.instances()))
                .toList();
    }
}
