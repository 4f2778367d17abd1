package io.mdevplan.web.host;

/**
 * The body of POST /api/v1/hosts/{name}/heartbeat: the executor's version and when it started (ISO-8601, e.g.
 * 2026-11-27T03:55:00Z), both required.
 */
public record HeartbeatBody(String executorVersion, String startedAt) {
}
