package io.mdevplan.planner.whatif;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Workloads of one profile that arrive every month, for the time to exhaustion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Growth(WorkloadProfile profile, Integer perMonth) {
}
