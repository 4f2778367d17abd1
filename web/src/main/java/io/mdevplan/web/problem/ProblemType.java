package io.mdevplan.web.problem;

/**
 * The kinds of problem the API answers with: a stable type URI (urn:mdevplan:problem:&lt;slug&gt;), the HTTP status
 * and a title that stays the same for every occurrence (the detail says what happened this time).
 */
public enum ProblemType {
    INVALID_BODY("invalid-body", 400, "The request body cannot be read"),
    INVALID_NAME("invalid-name", 400, "A name in the request is not safe"),
    INVALID_POLICY("invalid-policy", 400, "The policy is not valid"),
    INVALID_TOKEN("invalid-token", 400, "The token request is not valid"),
    UNAUTHORIZED("unauthorized", 401, "A valid bearer token is needed"),
    FORBIDDEN("forbidden", 403, "The token may not do this"),
    NOT_FOUND("not-found", 404, "No such resource"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "No acceptable representation"),
    CONFLICT("conflict", 409, "The request conflicts with the stored state"),
    NO_CAPACITY("no-capacity", 409, "Nothing in the fleet can take the request"),
    BODY_TOO_LARGE("body-too-large", 413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported content type"),
    INVALID_FLEET("invalid-fleet", 422, "The fleet document is not valid"),
    UNPROCESSABLE("unprocessable", 422, "The request cannot be applied"),
    INVALID_PLACEMENT("invalid-placement", 422, "The placement request is not valid"),
    INVALID_SCENARIO("invalid-scenario", 422, "The scenario is not valid"),
    HTTP_ERROR("http-error", 400, "The request was refused"),
    INTERNAL("internal", 500, "Internal error"),
    BUSY("busy", 503, "The service could not commit the request in time"),
    UNAVAILABLE("unavailable", 503, "The database cannot be reached");

    private static final String URN = "urn:mdevplan:problem:";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return URN + slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
