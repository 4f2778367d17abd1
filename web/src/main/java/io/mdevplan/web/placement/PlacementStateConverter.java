package io.mdevplan.web.placement;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a placement state in the lower case the schema's check constraint names. */
@Converter
public final class PlacementStateConverter implements AttributeConverter<PlacementState, String> {

    @Override
    public String convertToDatabaseColumn(PlacementState state) {
        return state.column();
    }

    @Override
    public PlacementState convertToEntityAttribute(String value) {
        return PlacementState.fromColumn(value);
    }
}
