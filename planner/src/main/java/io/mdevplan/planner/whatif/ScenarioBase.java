package io.mdevplan.planner.whatif;

import java.io.IOException;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import io.mdevplan.planner.fleet.FleetDocument;

/**
 * The fleet a scenario changes: {@code "live"} (the caller supplies the fleet as it stands: the service its stored
 * fleet, the CLI the file given with --fleet), or a fleet document embedded in the scenario.
 */
@JsonDeserialize(using = ScenarioBase.Reader.class)
public record ScenarioBase(FleetDocument fleet) {

    public static final String LIVE = "live";

    public static ScenarioBase live() {
        return new ScenarioBase(null);
    }

    @JsonIgnore
    public boolean isLive() {
        return fleet == null;
    }

    @JsonValue
    Object json() {
        return fleet == null ? LIVE : fleet;
    }

    /** Reads {@code "live"} or an object, the latter as strictly as any fleet document. */
    static final class Reader extends StdDeserializer<ScenarioBase> {

        Reader() {
            super(ScenarioBase.class);
        }

        @Override
        public ScenarioBase deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                var text = parser.getText();
                if (LIVE.equals(text)) {
                    return live();
                }
                throw context.weirdStringException(text, ScenarioBase.class, "not \"" + LIVE + "\"");
            }
            if (parser.currentToken() == JsonToken.START_OBJECT) {
                return new ScenarioBase(context.readValue(parser, FleetDocument.class));
            }
            return (ScenarioBase) context.handleUnexpectedToken(ScenarioBase.class, parser);
        }
    }
}
