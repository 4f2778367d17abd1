package io.mdevplan.planner.fleet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a type lets one device hold several instances; see the primer, section 3. */
public enum Aggregation {
    /** No aggregation: a device holds exactly one instance. */
    NONE("none"),
    /** Written at create time: {@code <uuid>,aggregate=<N>} to the type's {@code create} file. */
    CREATE_PARAM("create-param"),
    /** Created plainly, then N written to the device's {@code mdev/aggregation} attribute. */
    ATTRIBUTE("attribute");

    private final String json;

    Aggregation(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static Aggregation fromJson(String value) {
        for (var aggregation : values()) {
            if (aggregation.json.equals(value)) {
                return aggregation;
            }
        }
        throw new IllegalArgumentException("Unknown aggregation \"" + value
                + "\". Maybe use one of: none, create-param, attribute.");
    }
}
