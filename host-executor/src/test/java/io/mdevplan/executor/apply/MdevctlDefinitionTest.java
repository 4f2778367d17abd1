package io.mdevplan.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class MdevctlDefinitionTest {

    private static String resource(String name) throws IOException {
        try (var in = MdevctlDefinitionTest.class.getResourceAsStream("/mdevctl/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map.Entry<String, String> attr(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    @Test
    void printsTheGoldenDefinition() throws IOException {
        var definition = new MdevctlDefinition("i915-GVTg_V5_8", "auto",
                List.of(attr("mdev/aggregation", "2"), attr("mdev/weight", "4")));

        assertThat(definition.toJson()).isEqualTo(resource("i915-GVTg_V5_8-aggregated.json"));
    }

    @Test
    void printsNoAttributesAsAnEmptyList() throws IOException {
        assertThat(new MdevctlDefinition("mtty-2", "auto", List.of()).toJson())
                .isEqualTo(resource("mtty-2-plain.json"));
    }

    @Test
    void theOutputIsTheJsonMdevctlReads() throws IOException {
        var json = new MdevctlDefinition("vfio_ap-passthrough", "manual",
                List.of(attr("assign_adapter", "5"), attr("assign_domain", "0x47"), attr("note", "say \"hi\"\\")))
                .toJson();

        var tree = new ObjectMapper().readTree(json);
        assertThat(tree.get("mdev_type").asText()).isEqualTo("vfio_ap-passthrough");
        assertThat(tree.get("start").asText()).isEqualTo("manual");
        // one-key objects in write order, values as strings: mdevctl's own shape
        assertThat(tree.get("attrs")).hasSize(3);
        assertThat(tree.get("attrs").get(0).get("assign_adapter").isTextual()).isTrue();
        assertThat(tree.get("attrs").get(1).fieldNames()).toIterable().containsExactly("assign_domain");
        assertThat(tree.get("attrs").get(2).get("note").asText()).isEqualTo("say \"hi\"\\");
    }

    @Test
    void readsBackWhatItPrints() throws IOException {
        var definition = MdevctlDefinition.parse(resource("i915-GVTg_V5_8-aggregated.json"), "golden");

        assertThat(definition).isEqualTo(new MdevctlDefinition("i915-GVTg_V5_8", "auto",
                List.of(attr("mdev/aggregation", "2"), attr("mdev/weight", "4"))));
        assertThat(MdevctlDefinition.parse(resource("mtty-2-plain.json"), "golden").attrs()).isEmpty();
    }

    @Test
    void readsADefinitionWithoutAttrsOrWithFieldsOfLaterMdevctls() {
        var definition = MdevctlDefinition.parse("{\"mdev_type\": \"mtty-1\", \"start\": \"manual\","
                + " \"parent\": \"mtty\"}", "f");

        assertThat(definition).isEqualTo(new MdevctlDefinition("mtty-1", "manual", List.of()));
    }

    @Test
    void refusesWhatIsNoDefinitionNamingTheSource() {
        for (var json : List.of("{\"mdev_type\": \"mtty-1\"", "[]", "{\"mdev_type\": 2, \"start\": \"auto\"}",
                "{\"mdev_type\": \"mtty-1\", \"start\": \"auto\", \"attrs\": {\"a\": \"1\"}}",
                "{\"mdev_type\": \"mtty-1\", \"start\": \"auto\", \"attrs\": [{\"a\": \"1\", \"b\": \"2\"}]}",
                "{\"mdev_type\": \"mtty-1\", \"start\": \"auto\", \"attrs\": [{\"a\": 1}]}")) {
            assertThatThrownBy(() -> MdevctlDefinition.parse(json, "/etc/mdevctl.d/mtty/x"), json)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("The mdevctl definition /etc/mdevctl.d/mtty/x ")
                    .hasMessageContaining("Maybe");
        }
    }
}
