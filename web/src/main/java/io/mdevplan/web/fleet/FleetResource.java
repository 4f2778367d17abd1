package io.mdevplan.web.fleet;

import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.web.auth.Roles;
import io.mdevplan.web.http.RequestBodies;
import io.mdevplan.web.problem.Problem;

@Path("/api/v1/fleet")
@Tag(name = "fleet", description = "The whole fleet as one fleet document (docs/fleet-format.md)")
public final class FleetResource {

    private final FleetStore store;
    private final RequestBodies bodies;

    FleetResource(FleetStore store, RequestBodies bodies) {
        this.store = store;
        this.bodies = bodies;
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the whole fleet with a fleet document",
            description = "Validates the document as the planner CLI does (every problem with its JSON path), then"
                    + " replaces hosts, parents, pools, types, devices and placements in one transaction; policies"
                    + " stay. Workloads that own a device become active placements; workloads without a device are"
                    + " not imported (listed in notImported: place them with POST /api/v1/placements). Up to 16 MB.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FleetDocument.class)))
    @APIResponse(responseCode = "200", description = "Imported",
            content = @Content(schema = @Schema(implementation = ImportReport.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, an unknown field or a value of the wrong type;"
            + " nothing stored", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over 16 MB", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The document breaks the fleet contract; every problem is"
            + " listed with its JSON path; nothing stored", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    public ImportReport importFleet(InputStream body) {
        return store.importFleet(RequestBodies.parse(bodies.readFleet(body), FleetDocument.class));
    }

    @RolesAllowed(Roles.PLANNER)
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Export the whole fleet as a fleet document",
            description = "The format POST takes and the planner CLI reads: every host with its parents, pools,"
                    + " types and devices (each device carrying its workload), and the live placements (pending,"
                    + " applying, active) as workloads. Defaults are written out.")
    @APIResponse(responseCode = "200", description = "The fleet document",
            content = @Content(schema = @Schema(implementation = FleetDocument.class)))
    public StreamingOutput exportFleet() {
        var document = store.export();
        // written by the planner's own mapper, so the CLI reads back exactly what it would write
        return out -> FleetJson.write(document, out);
    }
}
