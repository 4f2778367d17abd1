package io.mdevplan.web.inventory;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.mdevplan.planner.fleet.Aggregation;

/** Stores an aggregation dialect as the fleet document spells it (none, create-param, attribute). */
@Converter
public final class AggregationConverter implements AttributeConverter<Aggregation, String> {

    @Override
    public String convertToDatabaseColumn(Aggregation aggregation) {
        return aggregation.json();
    }

    @Override
    public Aggregation convertToEntityAttribute(String value) {
        return Aggregation.fromJson(value);
    }
}
