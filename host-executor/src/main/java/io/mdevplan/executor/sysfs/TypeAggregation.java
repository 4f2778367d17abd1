package io.mdevplan.executor.sysfs;

/** A type's aggregation capability: its dialect and the most instances one device may hold (1 for NONE). */
public record TypeAggregation(AggregationDialect dialect, int max) {

    public static final TypeAggregation NONE = new TypeAggregation(AggregationDialect.NONE, 1);

    public TypeAggregation {
        if (dialect == null || max < 1 || (dialect == AggregationDialect.NONE && max != 1)) {
            throw new IllegalArgumentException("The aggregation " + dialect + " with at most " + max
                    + " instances is impossible. Maybe use TypeAggregation.NONE for types that do not aggregate.");
        }
    }
}
