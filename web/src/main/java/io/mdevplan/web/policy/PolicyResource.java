package io.mdevplan.web.policy;

import java.io.InputStream;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
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

import io.mdevplan.web.auth.Roles;
import io.mdevplan.web.http.RequestBodies;
import io.mdevplan.web.problem.Problem;

@Path("/api/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "policies", description = "Named weightings of the soft placement rules (docs/policies.md)")
public final class PolicyResource {

    private final PolicyService policies;
    private final RequestBodies bodies;

    PolicyResource(PolicyService policies, RequestBodies bodies) {
        this.policies = policies;
        this.bodies = bodies;
    }

    @RolesAllowed({Roles.PLANNER, Roles.SCHEDULER})
    @GET
    @Operation(summary = "Every policy, by name", description = "The built-in ones (pack, spread, headroom,"
            + " one-type-per-parent, minimal-moves) are seeded into an empty database; exactly one is the default.")
    @APIResponse(responseCode = "200", description = "The policies")
    public List<PolicyView> list() {
        return policies.list();
    }

    @RolesAllowed({Roles.PLANNER, Roles.SCHEDULER})
    @GET
    @Path("/{name}")
    @Operation(summary = "One policy")
    @APIResponse(responseCode = "200", description = "The policy")
    @APIResponse(responseCode = "404", description = "No such policy; the detail lists the known ones",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PolicyView get(@Parameter(description = "The policy's name") @PathParam("name") String name) {
        return policies.get(name);
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a policy",
            description = "Body {\"description\": ..., \"weights\": {rule: weight}, \"default\": bool,"
                    + " \"onFailure\": \"release\" | \"replace\"}. Weights are integers >= 0 for the soft rules"
                    + " parents-in-use, hosts-in-use, pool-balance, headroom, type-mixing and moves; rules left out"
                    + " weigh 0. \"default\": true makes it the default in place of the previous one; the default"
                    + " cannot be unset, only replaced. onFailure says what follows a failed create of a placement"
                    + " made under the policy: release (it stays failed) or replace (the workload is placed again"
                    + " elsewhere); absent keeps it (release for a new policy).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PolicyRequest.class)))
    @APIResponse(responseCode = "200", description = "Replaced",
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "400", description = "An unknown rule, a negative weight, missing weights, an unknown"
            + " onFailure, malformed JSON or an unsafe name; every bad value is named", content = @Content(
                    mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "\"default\": false for the default policy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response put(@Parameter(description = "The policy's name") @PathParam("name") String name,
            InputStream body) {
        var stored = policies.put(name, RequestBodies.parse(bodies.read(body), PolicyRequest.class));
        return Response.status(stored.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(stored.policy()).build();
    }
}
