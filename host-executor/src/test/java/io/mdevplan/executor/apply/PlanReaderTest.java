package io.mdevplan.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanReaderTest {

    @TempDir
    Path dir;

    private Path plan(String json) throws IOException {
        return Files.writeString(dir.resolve("plan.json"), json);
    }

    @Test
    void readsEveryFieldOfAPlan() throws IOException, PlanException {
        var plan = PlanReader.read(plan("{\"host\": \"node-01\", \"actions\": ["
                + "{\"id\": \"a1\", \"op\": \"create\", \"uuid\": \"8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b\","
                + " \"parent\": \"0000:00:02.0\", \"type\": \"i915-GVTg_V5_8\", \"instances\": 2,"
                + " \"attrs\": [{\"mdev/weight\": \"4\"}]},"
                + "{\"id\": \"a2\", \"op\": \"remove\", \"uuid\": \"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\"}]}"));

        assertThat(plan.host()).isEqualTo("node-01");
        assertThat(plan.actions()).containsExactly(
                new PlanAction("a1", "create", "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b", "0000:00:02.0",
                        "i915-GVTg_V5_8", 2, List.of(Map.of("mdev/weight", "4"))),
                new PlanAction("a2", "remove", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", null, null, null, null));
    }

    @Test
    void refusesAnUnknownFieldNamingItsPlace() throws IOException {
        var file = plan("{\"host\": \"node-01\","
                + " \"actions\": [{\"id\": \"a1\", \"op\": \"create\", \"instance\": 2}]}");

        assertThatThrownBy(() -> PlanReader.read(file))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("$.actions[0].instance")
                .hasMessageContaining("unknown field \"instance\"")
                .hasMessageContaining("instances")
                .hasMessageContaining("Maybe");
    }

    @Test
    void refusesAnUnknownTopLevelField() throws IOException {
        var file = plan("{\"host\": \"node-01\", \"actions\": [], \"dryRun\": true}");

        assertThatThrownBy(() -> PlanReader.read(file)).hasMessageContaining("$.dryRun");
    }

    @Test
    void refusesDuplicateKeysAndTrailingContent() throws IOException {
        var duplicate = plan("{\"host\": \"node-01\", \"host\": \"node-02\", \"actions\": []}");
        assertThatThrownBy(() -> PlanReader.read(duplicate)).isInstanceOf(PlanException.class)
                .hasMessageContaining("host");

        var trailing = plan("{\"host\": \"node-01\", \"actions\": []} {}");
        assertThatThrownBy(() -> PlanReader.read(trailing)).isInstanceOf(PlanException.class);
    }

    @Test
    void refusesAWrongValueType() throws IOException {
        var file = plan("{\"host\": \"node-01\", \"actions\": [{\"id\": \"a1\", \"instances\": \"two\"}]}");

        assertThatThrownBy(() -> PlanReader.read(file)).hasMessageContaining("$.actions[0].instances");
    }

    static Stream<Arguments> valuesOfTheWrongType() {
        var uuid = "\"uuid\": \"8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b\"";
        return Stream.of(
                // read leniently, 2.7 would be 2 instances, "2" would be 2 and 5 the id "5"
                Arguments.of("{\"id\": \"a1\", \"op\": \"create\", " + uuid + ", \"instances\": 2.7}",
                        "$.actions[0].instances", "Floating-point value (2.7)"),
                Arguments.of("{\"id\": \"a1\", \"op\": \"create\", " + uuid + ", \"instances\": \"2\"}",
                        "$.actions[0].instances", "String value (\"2\")"),
                Arguments.of("{\"id\": 5, \"op\": \"remove\", " + uuid + "}", "$.actions[0].id", "Integer value (5)"),
                Arguments.of("{\"id\": \"a1\", \"op\": true, " + uuid + "}", "$.actions[0].op", "Boolean value"),
                Arguments.of("{\"id\": \"a1\", \"attrs\": [{\"mdev/weight\": 4}]}", "$.actions[0].attrs[0].mdev/weight",
                        "Integer value (4)"),
                Arguments.of("{\"id\": \"a1\", \"instances\": 1e308}", "$.actions[0].instances", "(1e308)"),
                Arguments.of("{\"id\": \"a1\", \"instances\": 99999999999}", "$.actions[0].instances", "out of range"),
                // a null action or attribute would reach the applier as a NullPointerException
                Arguments.of("null", "$.actions[0]", "Invalid `null` value"),
                Arguments.of("{\"id\": \"a1\", \"attrs\": [null]}", "$.actions[0].attrs[0]", "Invalid `null` value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesOfTheWrongType")
    void refusesAValueOfTheWrongTypeInsteadOfConvertingIt(String action, String path, String value)
            throws IOException {
        var file = plan("{\"host\": \"node-01\", \"actions\": [" + action + "]}");

        assertThatThrownBy(() -> PlanReader.read(file)).isInstanceOf(PlanException.class)
                .hasMessageContaining(path).hasMessageContaining(value).hasMessageContaining("Maybe")
                .hasMessageNotContaining("coercion");
    }

    @Test
    void refusesAHostThatIsNoText() throws IOException {
        var file = plan("{\"host\": true, \"actions\": []}");

        assertThatThrownBy(() -> PlanReader.read(file)).hasMessageContaining("$.host").hasMessageContaining("Boolean");
    }

    @Test
    void showsOnlyTheStartOfAHugeUnknownFieldName() throws IOException {
        var name = "x".repeat(40_000);
        var file = plan("{\"host\": \"node-01\", \"actions\": [], \"" + name + "\": 1}");

        assertThatThrownBy(() -> PlanReader.read(file)).hasMessageContaining("(40000 characters)")
                .satisfies(thrown -> assertThat(thrown.getMessage()).hasSizeLessThan(1000));
    }

    @Test
    void showsOnlyTheStartOfAHugeValueOfTheWrongType() throws IOException {
        var file = plan("{\"host\": \"node-01\", \"actions\": [{\"id\": \"a1\", \"instances\": \""
                + "9".repeat(1 << 20) + "\"}]}");

        assertThatThrownBy(() -> PlanReader.read(file)).hasMessageContaining("$.actions[0].instances")
                .hasMessageContaining("characters)")
                .satisfies(thrown -> assertThat(thrown.getMessage()).hasSizeLessThan(1000));
    }

    @Test
    void refusesAPlanLargerThanTheLimitWithoutReadingItAll() {
        // an endless device given as the plan: read to the limit, not until memory runs out
        assertThatThrownBy(() -> PlanReader.read(Path.of("/dev/zero"))).isInstanceOf(PlanException.class)
                .hasMessageContaining("/dev/zero is larger than 16 MiB").hasMessageContaining("Maybe");
    }

    @Test
    void refusesAPlanWithoutHostOrActions() throws IOException {
        var noHost = plan("{\"actions\": []}");
        assertThatThrownBy(() -> PlanReader.read(noHost))
                .hasMessageContaining("no $.host").hasMessageContaining("Maybe");

        var noActions = plan("{\"host\": \"node-01\"}");
        assertThatThrownBy(() -> PlanReader.read(noActions)).hasMessageContaining("no $.actions");
    }

    @Test
    void refusesAMissingFile() {
        var missing = dir.resolve("missing.json");

        assertThatThrownBy(() -> PlanReader.read(missing))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("Cannot read the plan " + missing)
                .hasMessageContaining("Maybe");
    }
}
