package io.mdevplan.web.placement;

import java.util.Set;

/** Where a placement stands (placements.state). */
public enum PlacementState {
    /** Decided, not yet sent to the host. */
    PENDING("pending"),
    /** Sent to the host, which is creating the device. */
    APPLYING("applying"),
    /** The device exists. */
    ACTIVE("active"),
    FAILED("failed"),
    RELEASED("released");

    /** The states that hold capacity on their parent. */
    public static final Set<PlacementState> LIVE = Set.of(PENDING, APPLYING, ACTIVE);

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
