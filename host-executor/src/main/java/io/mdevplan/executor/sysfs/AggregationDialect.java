package io.mdevplan.executor.sysfs;

/** How a type puts N instances into one device (primer, section 3); detected per type, never assumed. */
public enum AggregationDialect {
    /** One instance per device. */
    NONE,
    /** The type directory has an {@code aggregation} file; create takes {@code <uuid>,aggregate=N}. */
    CREATE_PARAMETER,
    /** Create plainly, then write N to the device's {@code mdev/aggregation}; the type's description says the max. */
    ATTRIBUTE
}
