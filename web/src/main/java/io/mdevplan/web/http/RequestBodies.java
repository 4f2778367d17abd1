package io.mdevplan.web.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.inject.Singleton;

import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.InvalidFleetException;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;

/**
 * Reads request bodies within their cap and parses them with the planner's strict reader, so the service refuses
 * exactly what the CLI refuses (unknown fields, numbers as strings or fractions, malformed JSON); strings holding NUL
 * are refused too (NulCharacters). Bodies sent with a Content-Length over the cap never get here (BodyLimits); this
 * catches chunked ones.
 */
@Singleton
public final class RequestBodies {

    private final long fleetLimit;
    private final long limit;

    RequestBodies(MdevplanConfig config) {
        this.fleetLimit = config.limits().fleetBody().asLongValue();
        this.limit = config.limits().body().asLongValue();
    }

    /** A whole fleet document's body, or a scenario's (which may embed one). */
    public byte[] readFleet(InputStream body) {
        return read(body, fleetLimit);
    }

    /** Any other body (a host's inventory, a policy). */
    public byte[] read(InputStream body) {
        return read(body, limit);
    }

    private static byte[] read(InputStream body, long cap) {
        try {
            var bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
            if (bytes.length > cap) {
                throw BodyLimits.tooLarge(cap);
            }
            if (bytes.length == 0) {
                throw new ProblemException(ProblemType.INVALID_BODY, "The request body is empty. Maybe send a JSON"
                        + " document with Content-Type: application/json.");
            }
            NulCharacters.refuseIn(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the request body: " + e.getMessage()
                    + ". Maybe the client closed the connection.", e);
        }
    }

    /** Parses strictly; every problem comes back as a 400 with its JSON path. */
    public static <T> T parse(byte[] body, Class<T> type) {
        try {
            return FleetJson.parse(new ByteArrayInputStream(body), "request body", type);
        } catch (InvalidFleetException e) {
            throw new ProblemException(ProblemType.INVALID_BODY, "The request body has " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem" : " problems") + ". Maybe fix "
                    + (e.problems().size() == 1 ? "it" : "them") + " as each message says.",
                    e.problems().stream().map(ProblemItem::of).toList());
        }
    }
}
