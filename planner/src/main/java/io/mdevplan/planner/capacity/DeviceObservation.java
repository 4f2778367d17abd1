package io.mdevplan.planner.capacity;

import java.util.Objects;

/**
 * One existing mdev device of a parent.
 *
 * @param uuid      the device UUID
 * @param type      the id of its type, e.g. {@code mtty-2}
 * @param instances how many instances of the type it holds: 1, or N for an aggregated device
 */
public record DeviceObservation(String uuid, String type, int instances) {

    public DeviceObservation {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(type, "type");
        if (instances < 1) {
            throw new IllegalArgumentException("device " + uuid + " holds " + instances
                    + " instances; a device holds at least 1. Maybe aggregated_instances was not read");
        }
    }
}
