package io.mdevplan.executor.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a plan strictly: unknown fields, duplicate keys and trailing content are refused, because a field the
 * executor does not know (a misspelt "instances") would otherwise be silently ignored on a production host.
 */
public final class PlanReader {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private PlanReader() {
    }

    public static Plan read(Path file) throws PlanException {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PlanException("Cannot read the plan " + file + " (" + e.getMessage() + ")."
                    + " Maybe the path is wrong or the file is not readable.", e);
        }
        return read(json, "The plan " + file);
    }

    /** Reads a plan from its JSON; {@code source} names it in messages, e.g. "The plan from https://...". */
    public static Plan read(byte[] json, String source) throws PlanException {
        Plan plan;
        try {
            plan = MAPPER.readValue(json, Plan.class);
        } catch (JsonProcessingException e) {
            throw new PlanException(source + " is not a valid plan at " + jsonPath(e) + ": " + reason(e)
                    + ". Maybe compare it with the plan format in docs/executor.md.", e);
        } catch (IOException e) {
            throw new PlanException(source + " cannot be read (" + e.getMessage() + ").", e);
        }
        if (plan == null || plan.host() == null || plan.host().isBlank()) {
            throw new PlanException(source + " has no $.host. Maybe add \"host\": \"<this host's name>\""
                    + " so that the plan cannot be applied on the wrong host.", null);
        }
        if (plan.actions() == null) {
            throw new PlanException(source + " has no $.actions. Maybe add \"actions\": [] for a plan"
                    + " that changes nothing.", null);
        }
        return plan;
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field \"" + unknown.getPropertyName() + "\" (known: " + unknown.getKnownPropertyIds()
                    .stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
        }
        return e.getOriginalMessage().replaceAll("\\s+", " ");
    }

    /** The failure's place as a JSON path, e.g. $.actions[0].instances. */
    private static String jsonPath(JsonProcessingException e) {
        var path = new StringBuilder("$");
        if (e instanceof JsonMappingException mapping) {
            for (var reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append('.').append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
        }
        var location = e.getLocation();
        return location == null ? path.toString()
                : path + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
