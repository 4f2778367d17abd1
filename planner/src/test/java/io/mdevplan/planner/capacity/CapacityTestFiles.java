package io.mdevplan.planner.capacity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the test resources under capacity/: description texts, observed scenarios and golden models. */
final class CapacityTestFiles {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A parent as observed: its driver, types and devices. */
    record Scenario(String name, String driver, List<TypeObservation> types, List<DeviceObservation> devices) {
    }

    private CapacityTestFiles() {
    }

    static Path directory() {
        try {
            return Path.of(CapacityTestFiles.class.getResource("/capacity").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String fileName) {
        try {
            return Files.readString(directory().resolve(fileName), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String fileName) {
        try {
            return JSON.readTree(directory().resolve(fileName).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> scenarioNames() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".observed.json"))
                    .map(name -> name.substring(0, name.length() - ".observed.json".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Scenario scenario(String name) {
        var root = json(name + ".observed.json");
        var types = new ArrayList<TypeObservation>();
        for (var type : root.get("types")) {
            var descriptionFile = type.path("descriptionFile");
            types.add(new TypeObservation(type.get("id").asText(), type.path("name").asText(null),
                    descriptionFile.isMissingNode() ? null : text(descriptionFile.asText()),
                    type.get("deviceApi").asText(), type.get("availableInstances").asLong()));
        }
        var devices = new ArrayList<DeviceObservation>();
        for (var device : root.get("devices")) {
            devices.add(new DeviceObservation(device.get("uuid").asText(), device.get("type").asText(),
                    device.get("instances").asInt()));
        }
        return new Scenario(name, root.get("driver").asText(), types, devices);
    }
}
