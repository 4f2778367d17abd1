package io.mdevplan.planner.domain;

import io.mdevplan.planner.fleet.Aggregation;

/**
 * A type as offered by one parent: its cost per instance, indexed like the parent's pools, and how many instances
 * one device may aggregate.
 */
public final class MdevType {

    private final String id;
    private final long[] costPerInstance;
    private final Aggregation aggregation;
    private final int maxAggregation;

    public MdevType(String id, long[] costPerInstance, Aggregation aggregation, int maxAggregation) {
        this.id = id;
        this.costPerInstance = costPerInstance.clone();
        this.aggregation = aggregation;
        this.maxAggregation = maxAggregation;
    }

    public String getId() {
        return id;
    }

    public long cost(int poolIndex) {
        return costPerInstance[poolIndex];
    }

    public int poolCount() {
        return costPerInstance.length;
    }

    public Aggregation getAggregation() {
        return aggregation;
    }

    public int getMaxAggregation() {
        return maxAggregation;
    }

    @Override
    public String toString() {
        return id;
    }
}
