package io.mdevplan.web.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mdevplan.web.problem.Problem;
import io.mdevplan.web.problem.ProblemItem;
import io.restassured.response.ValidatableResponse;

/** Checks an answer is an RFC 7807 problem of the expected status and type, and returns it. */
public final class Problems {

    private Problems() {
    }

    public static Problem problem(ValidatableResponse response, int status, String slug) {
        var problem = response.statusCode(status)
                .contentType(Problem.MEDIA_TYPE)
                .extract().as(Problem.class);
        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.type()).isEqualTo("urn:mdevplan:problem:" + slug);
        assertThat(problem.title()).isNotBlank();
        assertThat(problem.detail()).contains("Maybe");
        assertThat(problem.instance()).startsWith("/");
        return problem;
    }

    /** The problem item at exactly this path. */
    public static ProblemItem at(Problem problem, String path) {
        return problem.problems().stream()
                .filter(item -> item.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No problem at " + path + " in " + problem.problems()));
    }
}
