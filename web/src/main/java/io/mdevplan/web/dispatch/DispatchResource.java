package io.mdevplan.web.dispatch;

import java.io.InputStream;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.mdevplan.web.auth.HostAccess;
import io.mdevplan.web.auth.Roles;
import io.mdevplan.web.http.RequestBodies;
import io.mdevplan.web.problem.Problem;
import io.smallrye.common.annotation.Blocking;

@Path("/api/v1/hosts/{name}/actions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dispatch", description = "What each host's executor must do, fetched by long poll, and its results")
public final class DispatchResource {

    private final LongPolls polls;
    private final DispatchService dispatch;
    private final RequestBodies bodies;
    private final HostAccess access;

    DispatchResource(LongPolls polls, DispatchService dispatch, RequestBodies bodies, HostAccess access) {
        this.polls = polls;
        this.dispatch = dispatch;
        this.bodies = bodies;
        this.access = access;
    }

    @RolesAllowed({Roles.EXECUTOR, Roles.ADMIN})
    @GET
    // the first look is a database transaction; a poll that then waits holds no thread
    @Blocking
    @Operation(summary = "The host's pending actions, by long poll",
            description = "Answers at once with the host's pending actions in the order to apply them, in the host"
                    + " executor's plan shape; with none, waits up to ?wait= (e.g. 30s; default 0, at most"
                    + " mdevplan.dispatch.max-wait) for some to appear, then answers an empty list. Handing out a"
                    + " create moves its placement from pending to applying. An action stays pending, and is handed"
                    + " out again, until its result is posted.")
    @APIResponse(responseCode = "200", description = "The host's plan",
            content = @Content(schema = @Schema(implementation = HostPlan.class)))
    @APIResponse(responseCode = "400", description = "The name is not a safe host name", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such host", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A wait that is not a duration or is too long",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<HostPlan> actions(@Parameter(description = "The host's name") @PathParam("name")
            String name, @Parameter(description = "How long to wait for actions: 500ms, 30s, 1m; a bare number is"
                    + " seconds") @QueryParam("wait") String wait) {
        access.check(name);
        return polls.poll(name, wait);
    }

    @RolesAllowed({Roles.EXECUTOR, Roles.ADMIN})
    @POST
    @Path("/{id}/result")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store what the host did with one action",
            description = "Body {\"status\": \"done\" | \"failed\", \"error\": {\"errno\", \"message\"}} (error only"
                    + " when failed). A create done makes its placement active; a create failed makes it failed with"
                    + " reason \"errno: message\" and frees its capacity. The same result again answers the stored"
                    + " one.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ActionResultBody.class)))
    @APIResponse(responseCode = "200", description = "Stored (or stored before, the same)",
            content = @Content(schema = @Schema(implementation = ActionResultView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, an unknown field, an unsafe host name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such host, or no such action of the host",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The action is finished with another result, or was cancelled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A status other than done or failed, a failure without a"
            + " message, an error on a done action", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    public ActionResultView result(@Parameter(description = "The host's name") @PathParam("name") String name,
            @Parameter(description = "The action's id, as handed out") @PathParam("id") String id,
            InputStream body) {
        access.check(name);
        return dispatch.result(name, id, RequestBodies.parse(bodies.read(body), ActionResultBody.class));
    }
}
