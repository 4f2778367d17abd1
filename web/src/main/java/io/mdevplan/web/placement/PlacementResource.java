package io.mdevplan.web.placement;

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
import jakarta.ws.rs.QueryParam;
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

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "placements", description = "Online placement for schedulers: one request answered in milliseconds")
public final class PlacementResource {

    private final PlacementService placements;
    private final BatchPlacementService batches;
    private final RequestBodies bodies;

    PlacementResource(PlacementService placements, BatchPlacementService batches, RequestBodies bodies) {
        this.placements = placements;
        this.batches = batches;
        this.bodies = bodies;
    }

    @RolesAllowed(Roles.SCHEDULER)
    @POST
    @Path("/placements")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Place one workload's device",
            description = "Body {\"workload\", \"type\", \"instances\", \"priority\", \"antiAffinityGroup\","
                    + " \"hostSelector\", \"policy\"}; workload and type are required. The parent is chosen by the"
                    + " hard rules and the policy (default: the default policy) and the placement is committed"
                    + " pending, with the device's UUID. The same request again answers the same placement (200).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PlacementBody.class)))
    @APIResponse(responseCode = "201", description = "Placed",
            content = @Content(schema = @Schema(implementation = PlacementView.class)))
    @APIResponse(responseCode = "200", description = "Placed before by the same request",
            content = @Content(schema = @Schema(implementation = PlacementView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, an unknown field, a value of the wrong type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "no-capacity: nothing fits, with the planner's reason; conflict:"
            + " the workload is placed with a different request", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "An unsafe workload id, a type no parent offers, instances"
            + " below 1 or above the type's largest aggregation, an unknown policy; every problem is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Other placements kept taking the chosen parents; retry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response place(InputStream body) {
        var answer = placements.place(RequestBodies.parse(bodies.read(body), PlacementBody.class));
        return Response.status(answer.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(answer.placement()).build();
    }

    @RolesAllowed({Roles.SCHEDULER, Roles.PLANNER})
    @POST
    @Path("/placements:explain")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Where one workload's device would go now, booking nothing",
            description = "The body of POST /api/v1/placements. Answers the decision a POST would make now: the"
                    + " parent the policy chooses, or the planner's reason why nothing fits, and how many parents the"
                    + " hard rules accept. Nothing is written; a refusal is not an error here.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PlacementBody.class)))
    @APIResponse(responseCode = "200", description = "The decision",
            content = @Content(schema = @Schema(implementation = Explanation.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, an unknown field, a value of the wrong type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "An invalid request, as for POST /api/v1/placements",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Explanation explain(InputStream body) {
        return placements.explain(RequestBodies.parse(bodies.read(body), PlacementBody.class));
    }

    @RolesAllowed({Roles.SCHEDULER, Roles.PLANNER})
    @GET
    @Path("/placements")
    @Operation(summary = "Placements, oldest first",
            description = "The live ones (pending, applying, active) unless ?state= names another; ?host= narrows"
                    + " them to one host.")
    @APIResponse(responseCode = "200", description = "The placements")
    @APIResponse(responseCode = "404", description = "No such host",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "An unknown state",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<PlacementView> list(
            @Parameter(description = "Only this host's placements") @QueryParam("host") String host,
            @Parameter(description = "pending, applying, active, failed or released") @QueryParam("state")
            String state) {
        return placements.list(host, state);
    }

    @RolesAllowed({Roles.SCHEDULER, Roles.PLANNER})
    @GET
    @Path("/placements/{workload}")
    @Operation(summary = "A workload's placement", description = "The live one, or else the latest released or"
            + " failed one.")
    @APIResponse(responseCode = "200", description = "The placement")
    @APIResponse(responseCode = "404", description = "The workload was never placed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PlacementView get(@Parameter(description = "The workload's id") @PathParam("workload") String workload) {
        return placements.get(workload);
    }

    @RolesAllowed(Roles.SCHEDULER)
    @DELETE
    @Path("/placements/{workload}")
    @Operation(summary = "Release a workload's placement", description = "Its capacity is free for the next request"
            + " at once; the placement stays as history, released. A create not yet handed to the host is cancelled;"
            + " a device the host may have created gets a remove action, and holds its pools until the host reports"
            + " it gone.")
    @APIResponse(responseCode = "200", description = "Released",
            content = @Content(schema = @Schema(implementation = PlacementView.class)))
    @APIResponse(responseCode = "404", description = "The workload has no live placement",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PlacementView release(@Parameter(description = "The workload's id") @PathParam("workload")
            String workload) {
        return placements.release(workload);
    }

    @RolesAllowed(Roles.SCHEDULER)
    @POST
    @Path("/placements:batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Place many workloads together with the solver",
            description = "Body {\"requests\": [placement requests], \"mode\": \"as-many-as-fit\" | \"all\","
                    + " \"policy\", \"timeLimitMillis\"}. The solver places the requests on the fleet as stored, live"
                    + " placements staying where they are; the plan is committed re-checked against every target"
                    + " host's books. as-many-as-fit (default) answers each request; all places all or nothing.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BatchBody.class)))
    @APIResponse(responseCode = "200", description = "Each request's outcome, in the order sent",
            content = @Content(schema = @Schema(implementation = BatchAnswer.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, an unknown field, a value of the wrong type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "With mode all: some request does not fit (no-capacity, with"
            + " every reason) or differs from its workload's placement (conflict); nothing was placed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "An invalid request (each named by its path), an unknown mode"
            + " or policy, a request naming its own policy, too many requests, a time limit out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public BatchAnswer placeBatch(InputStream body) {
        return batches.place(RequestBodies.parse(bodies.read(body), BatchBody.class));
    }
}
