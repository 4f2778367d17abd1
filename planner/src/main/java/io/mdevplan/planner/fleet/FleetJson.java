package io.mdevplan.planner.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Reads and writes fleet documents (and the planner's other JSON documents) strictly: unknown fields, numbers
 * given as strings or fractions, and malformed JSON are refused with the JSON path of the offending value.
 */
public final class FleetJson {

    private static final ObjectMapper MAPPER = createMapper();

    private FleetJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads and validates a fleet document from a file; problems name the file. */
    public static FleetDocument read(Path file) {
        var source = file.toString();
        try (var in = Files.newInputStream(file)) {
            return read(in, source);
        } catch (IOException e) {
            throw new InvalidFleetException(source, List.of(fileProblem(e)));
        }
    }

    /** Why a document's file could not be opened or read. */
    public static FleetProblem fileProblem(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new FleetProblem("$", null, "the file does not exist. Maybe check the path and the working directory.");
        }
        return new FleetProblem("$", null, "the file cannot be read (" + e.getMessage() + "). Maybe check its permissions.");
    }

    /** Reads and validates a fleet document; {@code source} names it in problems (a file name, "request body"). */
    public static FleetDocument read(InputStream in, String source) {
        var document = parse(in, source, FleetDocument.class);
        FleetValidator.validateOrThrow(document, source);
        return document;
    }

    /** Parses any of the planner's JSON documents strictly, without domain validation. */
    public static <T> T parse(InputStream in, String source, Class<T> type) {
        try {
            var value = MAPPER.readValue(in, type);
            if (value == null) {
                throw new InvalidFleetException(source, List.of(new FleetProblem("$", "null",
                        "the document is empty. Maybe the file was truncated.")));
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidFleetException(source, List.of(unknownField(e)));
        } catch (JsonMappingException e) {
            // Databind wraps syntax errors met inside an object; those are malformed JSON, not a wrong value.
            if (e.getCause() instanceof StreamReadException syntax) {
                throw new InvalidFleetException(source, List.of(malformed(syntax)));
            }
            throw new InvalidFleetException(source, List.of(wrongValue(e, "docs/fleet-format.md")));
        } catch (StreamReadException e) {
            throw new InvalidFleetException(source, List.of(malformed(e)));
        } catch (IOException e) {
            throw new InvalidFleetException(source, List.of(unreadable(e)));
        }
    }

    // The wording of reading problems, shared with the planner's other strict documents (what-if scenarios).

    /** A field the document's shape does not have, with the fields it does. */
    public static FleetProblem unknownField(UnrecognizedPropertyException e) {
        return new FleetProblem(jsonPath(e), e.getPropertyName(), "unknown field \"" + e.getPropertyName()
                + "\". Maybe use one of: "
                + String.join(", ", e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()) + ".");
    }

    /** A value of the wrong type; {@code reference} names the document that describes the field. */
    public static FleetProblem wrongValue(JsonMappingException e, String reference) {
        return new FleetProblem(jsonPath(e), null,
                e.getOriginalMessage() + ". Maybe check the value's type against " + reference + ".");
    }

    public static FleetProblem malformed(JsonProcessingException e) {
        var location = e.getLocation();
        var where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new FleetProblem("$", null,
                "malformed JSON" + where + ": " + e.getOriginalMessage() + ". Maybe a comma, bracket or quote is missing.");
    }

    public static FleetProblem unreadable(IOException e) {
        return new FleetProblem("$", null, "cannot be read (" + e.getMessage() + ").");
    }

    public static void write(Object value, OutputStream out) throws IOException {
        MAPPER.writeValue(out, value);
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON.", e);
        }
    }

    /** Where in the document a mapping error happened, as a JSON path such as {@code $.hosts[0].name}. */
    public static String jsonPath(JsonMappingException e) {
        var path = new StringBuilder("$");
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static ObjectMapper createMapper() {
        var mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }
}
