package io.mdevplan.web.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 7807 problem detail, answered as application/problem+json; {@code problems} lists every bad value with
 * its JSON path when the request had several.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
        List<ProblemItem> problems) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
