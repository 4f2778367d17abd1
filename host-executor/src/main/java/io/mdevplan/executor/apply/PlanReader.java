package io.mdevplan.executor.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.mdevplan.executor.sysfs.SysfsLayout;

/**
 * Reads a plan strictly: unknown fields, duplicate keys and trailing content are refused, because a field the
 * executor does not know (a misspelt "instances") would otherwise be silently ignored on a production host.
 */
public final class PlanReader {

    /** The largest plan file read: the service hands out at most 1000 actions, far below it. */
    static final int MAX_PLAN_BYTES = 16 * 1024 * 1024;
    private static final int MAX_REASON_LENGTH = 300;

    private static final JsonMapper MAPPER = strict(JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // 2.7 instances would be read as 2, "2" as 2 and 5 as the id "5": a plan means what it spells
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build());

    private PlanReader() {
    }

    /** Refuses what Jackson would otherwise turn into a string: numbers and booleans where text is asked. */
    private static JsonMapper strict(JsonMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    public static Plan read(Path file) throws PlanException {
        byte[] json;
        // read to one byte past the limit, so that a device such as /dev/zero given as the plan ends the read
        try (var in = Files.newInputStream(file)) {
            json = in.readNBytes(MAX_PLAN_BYTES + 1);
        } catch (IOException e) {
            throw new PlanException("Cannot read the plan " + file + " (" + e.getMessage() + ")."
                    + " Maybe the path is wrong or the file is not readable.", e);
        }
        if (json.length > MAX_PLAN_BYTES) {
            throw new PlanException("The plan " + file + " is larger than " + MAX_PLAN_BYTES / (1024 * 1024)
                    + " MiB. Maybe the path names another file, or the plan should be split.", null);
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
            return "unknown field \"" + SysfsLayout.shown(unknown.getPropertyName()) + "\" (known: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", ")) + ")";
        }
        // Jackson's advice to enable coercion is for the programmer, not for whoever wrote the plan
        var reason = e.getOriginalMessage().replaceAll("\\s+", " ")
                .replaceAll(" \\(but (could|might) if coercion[^)]*\\)", "");
        // Jackson quotes the value it refused whole, which may be a megabyte
        return reason.length() <= MAX_REASON_LENGTH ? reason
                : reason.substring(0, MAX_REASON_LENGTH) + "... (" + reason.length() + " characters)";
    }

    /** The failure's place as a JSON path, e.g. $.actions[0].instances. */
    private static String jsonPath(JsonProcessingException e) {
        var path = new StringBuilder("$");
        if (e instanceof JsonMappingException mapping) {
            for (var reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append('.').append(SysfsLayout.shown(reference.getFieldName()));
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
