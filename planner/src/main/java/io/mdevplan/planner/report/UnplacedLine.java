package io.mdevplan.planner.report;

/** A workload left without a device, and why, in words a person can act on. */
public record UnplacedLine(String workload, String type, int instances, String reason) {
}
