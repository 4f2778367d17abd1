package io.mdevplan.web.http;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.problem.Problem;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body whose Content-Length exceeds its endpoint's cap with 413 problem+json before any of it is read.
 * Runs ahead of Quarkus' own max-body-size check (route order -2), which would answer with an empty 413.
 */
@Singleton
public final class BodyLimits {

    static final String FLEET_PATH = "/api/v1/fleet";
    /** A scenario may embed its base fleet: it gets a fleet's cap. */
    static final String SCENARIOS_PATH = "/api/v1/scenarios";
    private static final int BEFORE_QUARKUS_BODY_LIMIT = -3;

    private final long fleetLimit;
    private final long limit;
    private final ObjectMapper mapper;

    BodyLimits(MdevplanConfig config, ObjectMapper mapper) {
        this.fleetLimit = config.limits().fleetBody().asLongValue();
        this.limit = config.limits().body().asLongValue();
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(BEFORE_QUARKUS_BODY_LIMIT).handler(this::check);
    }

    private void check(RoutingContext context) {
        var length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        var path = context.normalizedPath();
        var fleet = path.equals(FLEET_PATH) || path.equals(FLEET_PATH + "/") || path.equals(SCENARIOS_PATH)
                || path.equals(SCENARIOS_PATH + "/");
        var cap = context.request().method() == HttpMethod.POST && fleet ? fleetLimit : limit;
        if (length != null && isOver(length, cap)) {
            var problem = tooLarge(cap).toProblem(context.request().path());
            var response = context.response();
            // the body stays unread, so the connection cannot carry another request (Quarkus' own 413 does the same)
            response.endHandler(ended -> context.request().connection().close());
            response.setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(json(problem));
            return;
        }
        context.next();
    }

    private static boolean isOver(String length, long cap) {
        try {
            return Long.parseLong(length.strip()) > cap;
        } catch (NumberFormatException e) {
            return false; // Vert.x refuses a malformed Content-Length itself
        }
    }

    static ProblemException tooLarge(long cap) {
        return new ProblemException(ProblemType.BODY_TOO_LARGE, "The request body is larger than the " + cap
                + " bytes this endpoint accepts. Maybe send fewer hosts at a time (PUT /api/v1/hosts/{name}/inventory"
                + " takes one host), or raise mdevplan.limits and quarkus.http.limits.max-body-size.");
    }

    private String json(Problem problem) {
        try {
            return mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the problem " + problem.type() + " as JSON.", e);
        }
    }
}
