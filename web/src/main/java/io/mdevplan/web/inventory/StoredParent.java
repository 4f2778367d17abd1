package io.mdevplan.web.inventory;

import java.util.List;

import io.mdevplan.web.placement.PlacementEntity;

/**
 * A parent as stored: pools, types and devices in document order, and the live placements targeting it whose device
 * no host reports yet (they hold capacity all the same).
 */
public record StoredParent(ParentEntity parent, List<PoolEntity> pools, List<StoredType> types,
        List<DeviceEntity> devices, List<PlacementEntity> reservations) {
}
