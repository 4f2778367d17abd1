package io.mdevplan.web.auth;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.mdevplan.web.problem.DatabaseOutages;
import io.mdevplan.web.problem.Problem;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemMappers;
import io.mdevplan.web.problem.ProblemType;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/** 401 and 403 as problem+json, saying which token and which role the endpoint needs. */
public final class AuthProblemMappers {

    private final SecurityIdentity identity;

    AuthProblemMappers(SecurityIdentity identity) {
        this.identity = identity;
    }

    @ServerExceptionMapper
    public Response noToken(UnauthorizedException e, HttpServerRequest request) {
        return unauthorized(request.method() + " " + request.path() + " needs a bearer token. Maybe send"
                + " \"Authorization: Bearer <token>\" with a token an admin made (POST /api/v1/tokens).", request);
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e, HttpServerRequest request) {
        // a token that cannot be looked up while the database is away is not a bad token
        var outage = DatabaseOutages.reason(e);
        if (outage.isPresent()) {
            return ProblemMappers.unavailable(outage.get(), request);
        }
        var message = e.getMessage() == null || e.getMessage().isBlank()
                ? "The bearer token is not a live token of this service. Maybe it was revoked or mistyped."
                : e.getMessage();
        return unauthorized(message, request);
    }

    @ServerExceptionMapper
    public Response wrongRole(ForbiddenException e, HttpServerRequest request, ResourceInfo resource) {
        var allowed = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(RolesAllowed.class);
        if (allowed == null && resource.getResourceClass() != null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        var needs = allowed == null ? "another role" : "one of the roles " + String.join(", ", allowed.value());
        var problem = new ProblemException(ProblemType.FORBIDDEN, "Token \"" + identity.getPrincipal().getName()
                + "\" (role " + String.join(", ", identity.getRoles()) + ") may not " + request.method() + " "
                + request.path() + ": it needs " + needs + ". Maybe use a token with that role.");
        return respond(problem, request).build();
    }

    private static Response unauthorized(String detail, HttpServerRequest request) {
        return respond(new ProblemException(ProblemType.UNAUTHORIZED, detail, List.of()), request)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"mdevplan\"")
                .build();
    }

    private static Response.ResponseBuilder respond(ProblemException e, HttpServerRequest request) {
        var problem = e.toProblem(request.path());
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }
}
