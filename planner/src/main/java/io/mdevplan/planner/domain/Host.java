package io.mdevplan.planner.domain;

import java.util.Map;

/** A host of the fleet as the solver sees it. */
public final class Host {

    private final int index;
    private final String name;
    private final Map<String, String> labels;
    private final boolean schedulable;

    public Host(int index, String name, Map<String, String> labels, boolean schedulable) {
        this.index = index;
        this.name = name;
        this.labels = Map.copyOf(labels);
        this.schedulable = schedulable;
    }

    /** Position in the plan's host list: a dense key for usage books. */
    public int getIndex() {
        return index;
    }

    public String getName() {
        return name;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public boolean isSchedulable() {
        return schedulable;
    }

    /** Every key of the selector is a label of this host with the same value. */
    public boolean matches(Map<String, String> selector) {
        for (var entry : selector.entrySet()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name;
    }
}
