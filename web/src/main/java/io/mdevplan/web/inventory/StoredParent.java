package io.mdevplan.web.inventory;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.mdevplan.web.placement.PlacementEntity;

/**
 * A parent as stored: pools, types and devices in document order, the UUIDs of those devices that a live placement
 * has, and the live placements targeting it whose device no host reports yet and the scenarios' reservations on it
 * (they hold capacity all the same).
 */
public record StoredParent(ParentEntity parent, List<PoolEntity> pools, List<StoredType> types,
        List<DeviceEntity> devices, Set<UUID> placedDevices, List<PlacementEntity> reservations) {
}
