package io.mdevplan.web.placement;

import java.util.Set;

/** Where a placement stands (placements.state). */
public enum PlacementState {
    /** Decided, its create action not yet handed to the host. */
    PENDING("pending"),
    /** Its create action was handed to the host, which is creating the device. */
    APPLYING("applying"),
    /** The host reported its create done: the device exists. */
    ACTIVE("active"),
    /** The host reported its create failed (reason says why); it holds no capacity. */
    FAILED("failed"),
    RELEASED("released"),
    /**
     * Capacity a scenario's commit holds for its plan (POST /api/v1/scenarios/{id}/commit, mode reserve): no device
     * will be created, no host is told; deleted when the commit is released or expires.
     */
    RESERVED("reserved");

    /** A workload's placement: at most one per workload (V3), holding capacity on its parent. */
    public static final Set<PlacementState> LIVE = Set.of(PENDING, APPLYING, ACTIVE);

    /** The states that hold capacity on their parent: the live ones and reservations. */
    public static final Set<PlacementState> HOLDING = Set.of(PENDING, APPLYING, ACTIVE, RESERVED);

    private final String column;

    PlacementState(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }

    public static PlacementState fromColumn(String value) {
        for (var state : values()) {
            if (state.column.equals(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown placement state \"" + value
                + "\". Maybe the database is newer than this service.");
    }
}
