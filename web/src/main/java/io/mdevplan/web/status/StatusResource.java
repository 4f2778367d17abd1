package io.mdevplan.web.status;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.security.Authenticated;

@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public final class StatusResource {

    private final StatusService statusService;

    StatusResource(StatusService statusService) {
        this.statusService = statusService;
    }

    @Authenticated
    @GET
    @Operation(summary = "The service, its database server's version and the applied schema version")
    public Status status() {
        return statusService.status();
    }
}
