package io.mdevplan.web.auth;

import java.io.InputStream;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.mdevplan.web.http.RequestBodies;
import io.mdevplan.web.problem.Problem;
import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "tokens", description = "Bearer tokens and their roles (docs/security.md); admin only")
public final class TokenResource {

    private final TokenService tokens;
    private final RequestBodies bodies;
    private final SecurityIdentity identity;

    TokenResource(TokenService tokens, RequestBodies bodies, SecurityIdentity identity) {
        this.tokens = tokens;
        this.bodies = bodies;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a token", description = "Body {\"name\", \"role\": admin | planner | scheduler |"
            + " executor, \"host\": only and always for an executor}. The answer holds the secret, the only time it"
            + " is shown: the service keeps its SHA-256.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TokenRequest.class)))
    @APIResponse(responseCode = "201", description = "Made; the secret is in the answer",
            content = @Content(schema = @Schema(implementation = CreatedToken.class)))
    @APIResponse(responseCode = "400", description = "No name, an unknown role, an executor without a host or"
            + " another role with one, an unsafe name", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A live token has the name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(InputStream body) {
        var request = RequestBodies.parse(bodies.read(body), TokenRequest.class);
        var created = tokens.create(request, identity.getPrincipal().getName());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @Operation(summary = "Every token, live and revoked, without secrets")
    @APIResponse(responseCode = "200", description = "The tokens, oldest first")
    public List<TokenView> list() {
        return tokens.list();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a token", description = "At once on this replica; within mdevplan.auth.cache-ttl"
            + " on the others. The token stays listed, with the time it was revoked.")
    @APIResponse(responseCode = "200", description = "Revoked (or it was already)")
    @APIResponse(responseCode = "404", description = "No such token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TokenView revoke(@Parameter(description = "The token's id") @PathParam("id") String id) {
        return tokens.revoke(id);
    }
}
