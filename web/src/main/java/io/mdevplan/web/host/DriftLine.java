package io.mdevplan.web.host;

/**
 * One disagreement between a host's inventory and the service's placements. {@code source} is "device" (a reported
 * device no placement owns, or one unlike its placement) or "placement" (a placement whose device the host no longer
 * reports, or reports elsewhere or otherwise).
 */
public record DriftLine(String source, String uuid, String parent, String workload, String drift) {

    static final String DEVICE = "device";
    static final String PLACEMENT = "placement";
}
