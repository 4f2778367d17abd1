package io.mdevplan.planner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

import io.mdevplan.planner.fleet.FleetJson;

/** Writes a benchmark report to --out, as JSON if the file name ends in .json, else as Markdown; or to standard output. */
final class ReportOutput {

    private ReportOutput() {
    }

    static <R> void write(R report, Function<R, String> markdown, Path out, PrintWriter stdout) {
        var json = out != null && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        var text = json ? FleetJson.toJson(report) : markdown.apply(report);
        if (out == null) {
            stdout.print(text);
            stdout.flush();
            return;
        }
        try {
            var folder = out.toAbsolutePath().getParent();
            if (folder != null) {
                Files.createDirectories(folder);
            }
            Files.writeString(out, json ? text + System.lineSeparator() : text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out + ". Maybe check that its folder is writable.", e);
        }
    }
}
