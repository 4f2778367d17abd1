package io.mdevplan.web.problem;

import java.util.List;

/** Refuses a request with a problem detail; thrown before anything is written, or it rolls the transaction back. */
public final class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final int status;
    private final List<ProblemItem> problems;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ProblemException(ProblemType type, String detail, List<ProblemItem> problems) {
        this(type, type.status(), detail, problems);
    }

    /** For a type whose status depends on the occasion (HTTP errors raised by the REST layer). */
    ProblemException(ProblemType type, int status, String detail, List<ProblemItem> problems) {
        super(detail);
        this.type = type;
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public ProblemType type() {
        return type;
    }

    public List<ProblemItem> problems() {
        return problems;
    }

    public Problem toProblem(String instance) {
        return new Problem(type.uri(), type.title(), status, getMessage(), instance, problems);
    }
}
