package io.mdevplan.executor.sysfs;

/**
 * A type a parent offers, as its sysfs directory reads now. {@code name} and {@code deviceApi} are null where the
 * driver has no such file (old drivers have no name). {@code availableInstances} is a snapshot, not a reservation.
 */
public record SysfsType(String id, String name, String deviceApi, long availableInstances) {
}
