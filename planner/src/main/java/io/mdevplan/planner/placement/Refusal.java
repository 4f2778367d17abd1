package io.mdevplan.planner.placement;

/** Why a parent cannot take a device, one value per hard rule, in the order they are checked. */
public enum Refusal {
    TYPE_NOT_OFFERED,
    AGGREGATION_LIMIT,
    UNSCHEDULABLE,
    HOST_SELECTOR,
    MIXED_TYPES,
    ANTI_AFFINITY,
    CAPACITY
}
