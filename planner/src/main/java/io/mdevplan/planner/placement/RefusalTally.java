package io.mdevplan.planner.placement;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import io.mdevplan.planner.domain.Parent;

/**
 * What the parents offering a device's type answered when asked to take it: how many refuse it per rule, the first
 * that accepts it (or null), and among those refused for capacity the first with the most room for one device
 * (null and -1 when none is). An explanation is worded from this alone, however it was counted.
 */
public record RefusalTally(int offering, Map<Refusal, Integer> refusals, Parent accepting, Parent roomiest,
        long roomiestInstances) {

    public RefusalTally {
        // Kept in rule order: explanations list the counts in that order.
        refusals = Collections.unmodifiableMap(refusals.isEmpty() ? new EnumMap<>(Refusal.class) : new EnumMap<>(refusals));
    }
}
