package io.mdevplan.web.host;

/**
 * A live placement on a parent whose device the host has not reported (yet, or any more: see drift), or capacity a
 * scenario's commit reserves (state reserved; no device will be created).
 */
public record ReservationView(String workload, String type, int instances, String state, String deviceUuid,
        String drift) {
}
