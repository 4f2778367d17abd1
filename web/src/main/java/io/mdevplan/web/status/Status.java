package io.mdevplan.web.status;

/** What GET /api/v1/status answers: the service, the server's version() and the latest applied migration. */
public record Status(String service, String database, String schemaVersion) {
}
