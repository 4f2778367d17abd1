package io.mdevplan.web.problem;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A test-only endpoint whose body the REST layer binds itself, as later endpoints may. */
@Path("/api/v1/test-probes/binding")
@PermitAll
public final class BindingProbeResource {

    /** What the probe reads. */
    public record Probe(String name, int count) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Probe echo(Probe probe) {
        return probe;
    }
}
