package io.mdevplan.executor.kernel;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;

import io.mdevplan.planner.capacity.DeviceObservation;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;

/** The checks on a boot's snapshots that need the planner's code: the pool prediction and the inventory. */
final class SnapshotChecks {

    private SnapshotChecks() {
    }

    /**
     * After every step, each parent's available_instances equal what the pools and costs of the first inventory
     * (taken on the empty parents) predict for the devices the kernel then shows.
     */
    static Stream<DynamicTest> poolPrediction(GuestRun run) {
        var empty = run.snapshots().stream().filter(snapshot -> snapshot.inventory().isPresent()).findFirst();
        if (empty.isEmpty()) {
            return Stream.of(dynamicTest("the empty parents' inventory", () -> {
                throw new AssertionError("guest/" + run.scenario() + ".sh took no inventory, so there is no model"
                        + " to predict with. " + run.where());
            }));
        }
        var prediction = new PoolPrediction(empty.get().inventory().orElseThrow());
        return run.snapshots().stream().map(snapshot -> dynamicTest("after " + snapshot.label(), () -> {
            var soft = new SoftAssertions();
            for (var parent : snapshot.parents()) {
                if (!prediction.knows(parent)) {
                    soft.fail("parent " + parent + " is missing from the inventory of " + empty.get().label());
                    continue;
                }
                var kernel = snapshot.available(parent);
                var devices = snapshot.deviceObservations(parent);
                soft.assertThat(kernel)
                        .as("after %s, available_instances of %s with devices %s: the kernel's (actual) against"
                                + " the prediction from the pools and costs of %s (expected) %s", snapshot.label(),
                                parent, describe(devices), empty.get().label(), run.where())
                        .isEqualTo(prediction.predict(parent, List.copyOf(kernel.keySet()), devices));
            }
            soft.assertAll();
        }));
    }

    /**
     * Every inventory the guest took equals the kernel's view at that moment: parents, types (id, name, device_api,
     * the available_instances it observed), devices with their instances, and available_instances as the
     * inventory's own pools and costs predict them.
     */
    static Stream<DynamicTest> inventoryMatchesKernel(GuestRun run) {
        return run.snapshots().stream().filter(snapshot -> snapshot.inventory().isPresent())
                .map(snapshot -> dynamicTest("at " + snapshot.label(), () -> {
                    var host = snapshot.inventory().orElseThrow();
                    var soft = new SoftAssertions();
                    soft.assertThat(host.parents().stream().map(FleetParent::address).toList())
                            .as("at %s, the inventory's parents (a parent with no device and nothing available"
                                    + " is left out) %s", snapshot.label(), run.where())
                            .isEqualTo(snapshot.parents().stream()
                                    .filter(parent -> hasSomething(snapshot, parent)).toList());
                    for (var parent : host.parents()) {
                        compareParent(soft, snapshot, host, parent, run);
                    }
                    soft.assertAll();
                }));
    }

    private static void compareParent(SoftAssertions soft, KernelSnapshot snapshot, FleetHost host,
                                      FleetParent parent, GuestRun run) {
        var address = parent.address();
        var listed = parent.types().stream().map(type -> type.id()).toList();
        soft.assertThat(parent.types().stream()
                        .map(type -> type.id() + " | " + Objects.toString(type.name(), "") + " | " + type.deviceApi()
                                + " | " + type.availableInstances())
                        .toList())
                .as("at %s, the types of %s (id | name | device_api | available_instances) %s", snapshot.label(),
                        address, run.where())
                .isEqualTo(snapshot.types().stream()
                        .filter(row -> row.parent().equals(address) && listed.contains(row.type()))
                        .map(row -> row.type() + " | " + row.name() + " | " + row.deviceApi() + " | "
                                + row.available())
                        .toList());
        // a type the inventory leaves out is one its model cannot create: the kernel must show none available
        soft.assertThat(snapshot.types().stream()
                        .filter(row -> row.parent().equals(address) && !listed.contains(row.type()))
                        .filter(row -> row.available() != 0).toList())
                .as("at %s, types of %s left out of the inventory although the kernel shows them available %s",
                        snapshot.label(), address, run.where())
                .isEmpty();
        var kernelDevices = snapshot.deviceObservations(address);
        soft.assertThat(parent.devices().stream()
                        .map(device -> device.uuid() + " | " + device.type() + " | " + device.instancesOrOne())
                        .sorted().toList())
                .as("at %s, the devices of %s (uuid | type | instances) %s", snapshot.label(), address, run.where())
                .isEqualTo(kernelDevices.stream()
                        .map(device -> device.uuid() + " | " + device.type() + " | " + device.instances())
                        .sorted().toList());
        var kernel = snapshot.available(address);
        var inventoryDevices = parent.devices().stream()
                .map(device -> new DeviceObservation(device.uuid(), device.type(), device.instancesOrOne()))
                .toList();
        soft.assertThat(kernel)
                .as("at %s, available_instances of %s: the kernel's (actual) against the inventory's own pools and"
                        + " costs (expected) %s", snapshot.label(), address, run.where())
                .isEqualTo(new PoolPrediction(host).predict(address, List.copyOf(kernel.keySet()),
                        inventoryDevices));
    }

    private static boolean hasSomething(KernelSnapshot snapshot, String parent) {
        return snapshot.devices().stream().anyMatch(device -> device.parent().equals(parent))
                || snapshot.available(parent).values().stream().anyMatch(available -> available > 0);
    }

    private static String describe(List<DeviceObservation> devices) {
        return devices.stream().map(device -> device.type() + (device.instances() > 1 ? "*" + device.instances() : ""))
                .sorted().toList().toString();
    }
}
