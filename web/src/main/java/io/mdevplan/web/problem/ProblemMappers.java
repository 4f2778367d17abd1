package io.mdevplan.web.problem;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.mdevplan.planner.fleet.FleetJson;
import io.vertx.core.http.HttpServerRequest;

/**
 * Turns every error the REST layer meets into application/problem+json: refusals of this service, the REST layer's
 * own HTTP errors (unknown route, wrong method, content type), JSON the framework could not bind, conflicts with a
 * concurrent writer, and anything unexpected (logged with an id the answer repeats).
 */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** A database restart takes seconds; a client that waits this long before retrying is not refused again soon. */
    private static final int RETRY_AFTER_SECONDS = 2;

    @ServerExceptionMapper
    public Response refused(ProblemException e, HttpServerRequest request) {
        return respond(e, request);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, HttpServerRequest request) {
        // the REST layer wraps JSON it cannot parse into a plain 400
        if (e.getCause() instanceof JsonProcessingException json) {
            return jsonProblem(json, request);
        }
        var status = e.getResponse().getStatus();
        var where = request.method() + " " + request.path();
        var problem = switch (status) {
            case 404 -> new ProblemException(ProblemType.NOT_FOUND, "Nothing answers " + where
                    + ". Maybe check the path against /q/openapi; the API lives under /api/v1.");
            // the REST layer names no allowed methods here, but answers OPTIONS with an Allow header
            case 405 -> new ProblemException(ProblemType.METHOD_NOT_ALLOWED, where + " is not allowed. Maybe use a"
                    + " method that OPTIONS " + request.path() + " lists in its Allow header (or see /q/openapi).");
            case 406 -> new ProblemException(ProblemType.NOT_ACCEPTABLE, where + " cannot answer "
                    + request.getHeader(HttpHeaders.ACCEPT) + ". Maybe accept application/json.");
            case 413 -> new ProblemException(ProblemType.BODY_TOO_LARGE, "The body of " + where
                    + " is larger than the service accepts. Maybe split it, or see mdevplan.limits.");
            case 415 -> new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, where + " does not read "
                    + request.getHeader(HttpHeaders.CONTENT_TYPE) + ". Maybe send Content-Type: application/json.");
            default -> new ProblemException(ProblemType.HTTP_ERROR, status, where + " was refused: " + e.getMessage()
                    + ". Maybe check the request against /q/openapi.", List.of());
        };
        return respond(problem, request);
    }

    /** JSON the REST layer itself bound (bodies read by FleetJson arrive as ProblemException already). */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return jsonProblem(e, request);
    }

    /** Named apart: quarkus-rest-jackson maps this one itself (as plain JSON) unless a mapper for it exists. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, HttpServerRequest request) {
        return jsonProblem(e, request);
    }

    private static Response jsonProblem(JsonProcessingException e, HttpServerRequest request) {
        var path = e instanceof JsonMappingException mapping ? FleetJson.jsonPath(mapping) : "$";
        var location = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return respond(new ProblemException(ProblemType.INVALID_BODY, "The body is not the JSON this endpoint reads"
                + location + ". Maybe check it against /q/openapi.",
                List.of(new ProblemItem(path, null, e.getOriginalMessage()))), request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        var outage = DatabaseOutages.reason(e);
        if (outage.isPresent()) {
            return unavailable(outage.get(), request);
        }
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException violation) {
                // the checks before writing passed, so a concurrent writer got there first
                return respond(new ProblemException(ProblemType.CONFLICT, "A concurrent change got in the way ("
                        + violation.getConstraintName() + "). Maybe retry the request."), request);
            }
        }
        var id = UUID.randomUUID().toString();
        LOG.errorf(e, "Internal error %s answering %s %s", id, request.method(), request.path());
        return respond(new ProblemException(ProblemType.INTERNAL, "The service failed (error id " + id
                + ", logged). Maybe retry; if it persists, report the id."), request);
    }

    /**
     * 503 while the database is away (restarting, say): the same request may succeed in a moment. Logged in one
     * line, as an outage makes many.
     */
    public static Response unavailable(String reason, HttpServerRequest request) {
        LOG.warnf("The database cannot be reached answering %s %s: %s", request.method(), request.path(), reason);
        var problem = new ProblemException(ProblemType.UNAVAILABLE, "The database cannot be reached now (" + reason
                + "). Maybe retry in a few seconds: the service reconnects by itself, and a placement retried for the"
                + " same workload answers 200 with the placement if the first attempt was written after all.")
                .toProblem(request.path());
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }

    private static Response respond(ProblemException e, HttpServerRequest request) {
        var problem = e.toProblem(request.path());
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
