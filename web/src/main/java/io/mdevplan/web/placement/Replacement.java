package io.mdevplan.web.placement;

import java.util.Set;

import io.mdevplan.web.placement.PlacementIndex.ParentRef;

/**
 * What placing a workload again after a failed create adds to its request: the failed placement it is made in place
 * of, how many re-placements in a row this one makes, and the parents its creates failed on, which it avoids.
 */
public record Replacement(Long replaces, int replacements, Set<ParentRef> avoided) {

    /** A request a scheduler made: it replaces nothing and avoids no parent. */
    public static final Replacement NONE = new Replacement(null, 0, Set.of());

    public Replacement {
        avoided = Set.copyOf(avoided);
    }
}
