package io.mdevplan.executor.apply;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/** What one host is to do: its name (checked against the host's own) and the actions, in the order to run them. */
public record Plan(String host, @JsonSetter(contentNulls = Nulls.FAIL) List<PlanAction> actions) {

    public Plan {
        actions = actions == null ? null : List.copyOf(actions);
    }
}
