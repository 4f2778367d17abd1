package io.mdevplan.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
