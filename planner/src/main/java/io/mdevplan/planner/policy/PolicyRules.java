package io.mdevplan.planner.policy;

/**
 * The formulas behind the soft rules, in one place: the constraint provider penalises with them and the greedy and
 * online placers score candidates with them, so the planner and the fast paths cannot drift apart.
 */
public final class PolicyRules {

    /** The share of every pool that the headroom rule keeps free where possible, in permille. */
    public static final long HEADROOM_RESERVE_PERMILLE = 200;

    private PolicyRules() {
    }

    /** Use of a pool in permille of its capacity. */
    public static long permille(long used, long capacity) {
        return used * 1000 / capacity;
    }

    /** Spread: the square of a pool's use, so that moving load from a full pool to an empty one always pays. */
    public static long balancePenalty(long used, long capacity) {
        var permille = permille(used, capacity);
        return permille * permille;
    }

    /** Headroom: how far (in permille of the capacity) a pool dips into the reserve it should keep free. */
    public static long headroomPenalty(long used, long capacity) {
        var allowed = capacity * (1000 - HEADROOM_RESERVE_PERMILLE);
        var over = used * 1000 - allowed;
        return over <= 0 ? 0 : over / capacity;
    }
}
