package io.mdevplan.web.host;

import java.util.List;

/** What PUT /api/v1/hosts/{name}/inventory stored, and where the host now disagrees with the placements. */
public record InventoryReport(HostView host, List<DriftLine> drift) {

    public InventoryReport {
        drift = List.copyOf(drift);
    }
}
