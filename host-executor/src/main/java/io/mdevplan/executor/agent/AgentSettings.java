package io.mdevplan.executor.agent;

import java.net.URI;
import java.time.Duration;

/**
 * How the agent talks to the service: its base URL (e.g. https://mdevplan.example:8443), this host's name there, the
 * bearer token, how long one long poll waits for actions, and the periods of heartbeats and drift re-reads.
 */
public record AgentSettings(URI service, String host, String token, Duration pollWait, Duration heartbeatInterval,
        Duration driftInterval, boolean persist) {
}
