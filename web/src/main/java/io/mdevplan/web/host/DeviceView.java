package io.mdevplan.web.host;

/** A device as its host reported it; {@code drift} says why it differs from what the service placed, if it does. */
public record DeviceView(String uuid, String type, int instances, String workload, String state, String drift) {
}
