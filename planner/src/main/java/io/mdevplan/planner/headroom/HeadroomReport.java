package io.mdevplan.planner.headroom;

import java.util.Map;

/** How many more workloads of one shape fit: in total and per host (hosts where none fit are left out). */
public record HeadroomReport(String type, int instances, Map<String, String> hostSelector, long total,
        Map<String, Long> hosts) {
}
