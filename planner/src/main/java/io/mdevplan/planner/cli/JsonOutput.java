package io.mdevplan.planner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.mdevplan.planner.fleet.FleetJson;

/** Writes a command's JSON result to --out, or to standard output. */
final class JsonOutput {

    private JsonOutput() {
    }

    static void write(Object value, Path out, PrintWriter stdout) {
        var json = FleetJson.toJson(value);
        if (out == null) {
            stdout.println(json);
            stdout.flush();
            return;
        }
        try {
            var parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, json + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out + ". Maybe check that its folder is writable.", e);
        }
    }
}
