package io.mdevplan.executor.apply;

import java.util.List;

/** What one host is to do: its name (checked against the host's own) and the actions, in the order to run them. */
public record Plan(String host, List<PlanAction> actions) {

    public Plan {
        actions = actions == null ? null : List.copyOf(actions);
    }
}
