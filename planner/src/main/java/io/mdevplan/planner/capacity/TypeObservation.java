package io.mdevplan.planner.capacity;

import java.util.Objects;

/**
 * One mdev type of a parent as read from sysfs ({@code mdev_supported_types/<id>/...}).
 *
 * @param id                 the type directory name, e.g. {@code i915-GVTg_V5_4}
 * @param name               the {@code name} file, or null where the driver has none
 * @param description        the {@code description} file as read (trailing newline included), or null
 * @param deviceApi          the {@code device_api} file, e.g. {@code vfio-pci}
 * @param availableInstances the {@code available_instances} file at the moment of the snapshot
 */
public record TypeObservation(String id, String name, String description, String deviceApi, long availableInstances) {

    public TypeObservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deviceApi, "deviceApi");
        if (id.isBlank()) {
            throw new IllegalArgumentException("type id is blank. Maybe the type directory name was not read");
        }
        if (availableInstances < 0 || availableInstances > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("availableInstances of type " + id + " is " + availableInstances
                    + ", outside 0.." + Integer.MAX_VALUE + ". Maybe the sysfs read failed or returned garbage");
        }
    }
}
