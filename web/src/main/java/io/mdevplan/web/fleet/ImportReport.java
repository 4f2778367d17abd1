package io.mdevplan.web.fleet;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What POST /api/v1/fleet stored. Workloads that own a device became active placements; the others are listed in
 * {@code notImported}, with a note on where to place them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportReport(int hosts, int parents, int devices, int placements, List<String> notImported,
        String note) {

    static final String NOT_IMPORTED_NOTE = "Workloads without a device are requests, not inventory: the import"
            + " stores only what exists. Place them with POST /api/v1/placements.";

    public ImportReport {
        notImported = List.copyOf(notImported);
    }
}
