package io.mdevplan.planner.whatif;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetProblem;

/**
 * Reads scenario documents as strictly as fleet documents ({@link FleetJson}'s mapper: unknown fields, numbers as
 * strings or fractions, malformed JSON refused), with the JSON path of the offending value. Only the shape is checked
 * here; what the values mean is checked against the fleet by {@link WhatIfEngine#prepare}.
 */
public final class ScenarioJson {

    private static final String REFERENCE = "docs/whatif.md";

    private ScenarioJson() {
    }

    public static ScenarioDocument read(Path file) {
        var source = file.toString();
        try (var in = Files.newInputStream(file)) {
            return read(in, source);
        } catch (IOException e) {
            throw new InvalidScenarioException(source, List.of(FleetJson.fileProblem(e)));
        }
    }

    /** Reads a scenario; {@code source} names it in problems (a file name, "request body"). */
    public static ScenarioDocument read(InputStream in, String source) {
        try (var parser = FleetJson.mapper().createParser(in)) {
            // Checked here: the mapper reports an empty input as a wrong value.
            var scenario = parser.nextToken() == null ? null : FleetJson.mapper().readValue(parser, ScenarioDocument.class);
            if (scenario == null) {
                throw new InvalidScenarioException(source, List.of(new FleetProblem("$", "null",
                        "the document is empty. Maybe the file was truncated.")));
            }
            return scenario;
        } catch (InvalidTypeIdException e) {
            throw new InvalidScenarioException(source, List.of(opProblem(e)));
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidScenarioException(source, List.of(FleetJson.unknownField(e)));
        } catch (MismatchedInputException e) {
            throw new InvalidScenarioException(source, List.of(e.getTargetType() == ScenarioBase.class
                    ? new FleetProblem(FleetJson.jsonPath(e), null, "a scenario's base is \"" + ScenarioBase.LIVE
                            + "\" or a fleet document. Maybe write \"" + ScenarioBase.LIVE
                            + "\", or embed the fleet document's JSON object.")
                    : FleetJson.wrongValue(e, REFERENCE)));
        } catch (JsonMappingException e) {
            // Databind wraps syntax errors met inside an object; those are malformed JSON, not a wrong value.
            if (e.getCause() instanceof StreamReadException syntax) {
                throw new InvalidScenarioException(source, List.of(FleetJson.malformed(syntax)));
            }
            throw new InvalidScenarioException(source, List.of(FleetJson.wrongValue(e, REFERENCE)));
        } catch (StreamReadException e) {
            throw new InvalidScenarioException(source, List.of(FleetJson.malformed(e)));
        } catch (IOException e) {
            throw new InvalidScenarioException(source, List.of(FleetJson.unreadable(e)));
        }
    }

    /** A change without an op, or with one nobody knows. */
    private static FleetProblem opProblem(InvalidTypeIdException e) {
        var path = FleetJson.jsonPath(e);
        var ops = String.join(", ", ScenarioChange.ops());
        if (e.getTypeId() == null) {
            return new FleetProblem(path, null, "a change needs an op. Maybe add \"op\" with one of: " + ops + ".");
        }
        return new FleetProblem(path + ".op", e.getTypeId(), "unknown op \"" + e.getTypeId() + "\". Maybe use one of: "
                + ops + ".");
    }
}
