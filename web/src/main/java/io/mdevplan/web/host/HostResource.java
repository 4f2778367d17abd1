package io.mdevplan.web.host;

import java.io.InputStream;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.web.auth.HostAccess;
import io.mdevplan.web.auth.Roles;
import io.mdevplan.web.http.RequestBodies;
import io.mdevplan.web.problem.Problem;

@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "hosts", description = "Host inventory with pool use and what each type could still get")
public final class HostResource {

    private final HostService hosts;
    private final HeartbeatService heartbeats;
    private final RequestBodies bodies;
    private final HostAccess access;

    HostResource(HostService hosts, HeartbeatService heartbeats, RequestBodies bodies, HostAccess access) {
        this.hosts = hosts;
        this.heartbeats = heartbeats;
        this.bodies = bodies;
        this.access = access;
    }

    @RolesAllowed({Roles.PLANNER, Roles.SCHEDULER})
    @GET
    @Operation(summary = "Every host with its inventory and capacity",
            description = "Per parent: each pool's capacity, used (devices plus live placements not yet reported as"
                    + " devices, each device once) and free; per type: available, the single-instance devices the"
                    + " model says fit now. Per host, its executor: the last heartbeat and inventory report, its"
                    + " version and start, its actions pending and failed.")
    @APIResponse(responseCode = "200", description = "The hosts, in the order they were stored")
    public List<HostView> list() {
        return hosts.list();
    }

    @RolesAllowed({Roles.PLANNER, Roles.SCHEDULER})
    @GET
    @Path("/{name}")
    @Operation(summary = "One host with its inventory and capacity")
    @APIResponse(responseCode = "200", description = "The host")
    @APIResponse(responseCode = "400", description = "The name is not a safe host name", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such host; the detail suggests known names",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HostView get(@Parameter(description = "The host's name") @PathParam("name") String name) {
        return hosts.get(name);
    }

    @RolesAllowed({Roles.EXECUTOR, Roles.ADMIN})
    @PUT
    @Path("/{name}/inventory")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a host's inventory as the host reports it",
            description = "The body is one host in the fleet document's host shape; its name may be left out and"
                    + " must otherwise equal the path's. Parents, pools, types and devices are replaced in one"
                    + " transaction; labels only when the body carries some (absent or {} keeps them), schedulable"
                    + " only when sent. Placements are never deleted: a placed"
                    + " device the host no longer reports (or reports elsewhere or otherwise) marks its placement"
                    + " with drift, and a reported device no placement owns is stored with drift 'unplaced by"
                    + " mdevplan'. Creates the host if it is new. Up to 1 MB.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FleetHost.class)))
    @APIResponse(responseCode = "200", description = "Replaced; the stored host and the drift",
            content = @Content(schema = @Schema(implementation = InventoryReport.class)))
    @APIResponse(responseCode = "201", description = "Created; the stored host and the drift",
            content = @Content(schema = @Schema(implementation = InventoryReport.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, an unknown field, a wrong value type or an"
            + " unsafe name in the path", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A reported device is stored on another host",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over 1 MB", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The inventory breaks the fleet contract (paths relative to the"
            + " host), or the body names another host", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    public Response replaceInventory(@Parameter(description = "The host's name") @PathParam("name") String name,
            InputStream body) {
        HostService.checkName(name);
        access.check(name);
        var replaced = hosts.replaceInventory(name, RequestBodies.parse(bodies.read(body), FleetHost.class));
        return Response.status(replaced.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(replaced.report()).build();
    }

    @RolesAllowed({Roles.EXECUTOR, Roles.ADMIN})
    @POST
    @Path("/{name}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The host's executor is alive",
            description = "Body {\"executorVersion\": \"0.1.0\", \"startedAt\": \"2026-11-27T03:55:00Z\"}, both"
                    + " required. Stores the time (the database's), the version and the start in one UPDATE of the"
                    + " host, and answers them with the host's pending and failed actions and whether the executor"
                    + " should report its inventory (none since it started). 404 when the host is unknown, e.g."
                    + " after a fleet import left it out: the executor registers again by PUTting its inventory.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = HeartbeatBody.class)))
    @APIResponse(responseCode = "200", description = "Stored",
            content = @Content(schema = @Schema(implementation = HeartbeatView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, an unknown field, an unsafe host name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such host: PUT its inventory to register it again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A missing or overlong version, a start that is not an ISO-8601"
            + " instant", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    public HeartbeatView heartbeat(@Parameter(description = "The host's name") @PathParam("name") String name,
            InputStream body) {
        HostService.checkName(name);
        access.check(name);
        return heartbeats.beat(name, RequestBodies.parse(bodies.read(body), HeartbeatBody.class));
    }
}
