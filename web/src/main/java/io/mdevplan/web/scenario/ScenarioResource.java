package io.mdevplan.web.scenario;

import java.io.InputStream;
import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.mdevplan.web.auth.Roles;
import io.mdevplan.web.http.RequestBodies;
import io.mdevplan.web.problem.Problem;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

@Path("/api/v1/scenarios")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scenarios", description = "What-if scenarios: queued, solved by any replica, compared, committed")
public final class ScenarioResource {

    private final ScenarioService scenarios;
    private final ScenarioCommits commits;
    private final ScenarioEvents events;
    private final RequestBodies bodies;

    ScenarioResource(ScenarioService scenarios, ScenarioCommits commits, ScenarioEvents events, RequestBodies bodies) {
        this.scenarios = scenarios;
        this.commits = commits;
        this.events = events;
        this.bodies = bodies;
    }

    @RolesAllowed(Roles.PLANNER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a what-if scenario",
            description = "The body is a scenario document (docs/whatif.md): a base (\"live\": the fleet in the"
                    + " service, or an embedded fleet document), changes, policy, mode, growth, headroom profiles."
                    + " It is checked against its base with the planner's rules before it is queued; a worker on"
                    + " any replica solves it within ?timeLimit=. Up to 16 MB.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "202", description = "Queued; Location names the scenario",
            content = @Content(schema = @Schema(implementation = ScenarioView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, an unknown field, a value of the wrong type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "invalid-scenario: every problem with its JSON path (unknown"
            + " type, host or policy, a negative count, ...); unprocessable: a bad ?timeLimit=",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(InputStream body, @Parameter(description = "The solve's time limit: 500ms, 30s, 2m; a"
            + " bare number is seconds") @QueryParam("timeLimit") String timeLimit) {
        var view = scenarios.submit(bodies.readFleet(body), timeLimit);
        return Response.accepted(view).location(URI.create("/api/v1/scenarios/" + view.id())).build();
    }

    @RolesAllowed(Roles.PLANNER)
    @GET
    @Operation(summary = "Every scenario, oldest first", description = "Without results: GET one for its result.")
    @APIResponse(responseCode = "200", description = "The scenarios")
    public List<ScenarioView> list() {
        return scenarios.list();
    }

    @RolesAllowed(Roles.PLANNER)
    @GET
    @Path("/compare")
    @Operation(summary = "Scenarios' key figures side by side",
            description = "?ids=1,2,3: per scenario its workloads, placed and unplaced, the plan's counts, when"
                    + " growth runs out of room and its headroom per profile (null until done); per headroom profile"
                    + " each scenario's count.")
    @APIResponse(responseCode = "200", description = "The comparison",
            content = @Content(schema = @Schema(implementation = Comparison.class)))
    @APIResponse(responseCode = "404", description = "An unknown id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "No ids, or more than mdevplan.scenarios.compare-max",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Comparison compare(@Parameter(description = "Scenario ids, comma-separated") @QueryParam("ids")
            String ids) {
        return scenarios.compare(ids);
    }

    @RolesAllowed(Roles.PLANNER)
    @GET
    @Path("/{id}")
    @Operation(summary = "A scenario", description = "Its state, progress, best score so far, elapsed time, who"
            + " holds it, its commit, and its result once done.")
    @APIResponse(responseCode = "200", description = "The scenario",
            content = @Content(schema = @Schema(implementation = ScenarioView.class)))
    @APIResponse(responseCode = "404", description = "No such scenario",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ScenarioView get(@PathParam("id") String id) {
        return scenarios.get(id);
    }

    @RolesAllowed(Roles.PLANNER)
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "A scenario's progress as server-sent events",
            description = "state events (the first one at once, then each change) and progress events (phase,"
                    + " elapsedMillis, bestScore, unplaced, month); the stream ends after the state done, failed or"
                    + " cancelled. Works from any replica.")
    @APIResponse(responseCode = "200", description = "The event stream")
    @APIResponse(responseCode = "404", description = "No such scenario",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        return events.stream(id, sse);
    }

    @RolesAllowed(Roles.PLANNER)
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Cancel a scenario", description = "A queued one at once (200, cancelled); a running one"
            + " is asked to stop (202, running with cancelRequested: its replica stops it within a heartbeat).")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(schema = @Schema(implementation = ScenarioView.class)))
    @APIResponse(responseCode = "202", description = "Its run is stopping",
            content = @Content(schema = @Schema(implementation = ScenarioView.class)))
    @APIResponse(responseCode = "404", description = "No such scenario",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Done or failed already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response cancel(@PathParam("id") String id) {
        var cancelled = scenarios.cancel(id);
        return Response.status(cancelled.stopping() ? Response.Status.ACCEPTED : Response.Status.OK)
                .entity(cancelled.scenario()).build();
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/{id}/commit")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Commit a done scenario's plan to the fleet",
            description = "Body {\"mode\": \"dispatch\" | \"reserve\", \"workloadPrefix\", \"ttlSeconds\"}. dispatch:"
                    + " moves and removes release placements, creates and moves' targets become pending placements"
                    + " with create actions, drained and removed hosts are cordoned. reserve: the targets' capacity"
                    + " is held for the plan (placements in state reserved) until DELETE of the commit or ttlSeconds."
                    + " Refused with 409, nothing written, when the fleet changed so that the plan no longer fits.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CommitBody.class)))
    @APIResponse(responseCode = "200", description = "Committed",
            content = @Content(schema = @Schema(implementation = CommitView.class)))
    @APIResponse(responseCode = "404", description = "No such scenario",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not done, embedded base, committed already, or the fleet"
            + " changed: each step of the plan that no longer applies, and why",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "An unknown mode, a bad workloadPrefix or ttlSeconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CommitView commit(@PathParam("id") String id, InputStream body) {
        return commits.commit(id, RequestBodies.parse(bodies.read(body), CommitBody.class));
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}/commit")
    @Operation(summary = "Release a reserve commit's reservations",
            description = "Their capacity is free for every placement at once. Released before: 200 again.")
    @APIResponse(responseCode = "200", description = "Released",
            content = @Content(schema = @Schema(implementation = CommitView.class)))
    @APIResponse(responseCode = "404", description = "No such scenario",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not committed, or dispatched",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CommitView release(@PathParam("id") String id) {
        return commits.release(id);
    }
}
