package io.mdevplan.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.mdevplan.web.problem.ProblemException;

class NulCharactersTest {

    @Test
    void aNulInAStringIsRefusedAtItsPath() {
        var refused = catchThrowableOfType(() -> NulCharacters.refuseIn(bytes(
                "{\"hosts\": [{\"name\": \"a\"}, {\"name\": \"node-1\\u0000\"}]}")), ProblemException.class);

        assertThat(refused.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("$.hosts[1].name");
            assertThat(problem.message()).contains("NUL");
        });
        assertThat(refused.getMessage()).contains("$.hosts[1].name", "Maybe remove it");
    }

    @Test
    void aNulInAFieldNameIsRefusedToo() {
        var refused = catchThrowableOfType(() -> NulCharacters.refuseIn(bytes("{\"labels\": {\"zo\\u0000ne\": 1}}")),
                ProblemException.class);

        assertThat(refused.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.path()).isEqualTo("$.labels.zo\u0000ne"));
    }

    @Test
    void anEscapedBackslashBeforeTheTextIsNoNul() {
        assertThatCode(() -> NulCharacters.refuseIn(bytes("{\"description\": \"C:\\\\u0000 is a path\"}")))
                .doesNotThrowAnyException();
    }

    @Test
    void bodiesWithoutTheEscapeOrThatAreNotJsonAreLeftToTheStrictReader() {
        assertThatCode(() -> NulCharacters.refuseIn(bytes("{\"name\": \"node-1\"}"))).doesNotThrowAnyException();
        assertThatCode(() -> NulCharacters.refuseIn(bytes("{\"name\": \"\\u0000"))).doesNotThrowAnyException();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
