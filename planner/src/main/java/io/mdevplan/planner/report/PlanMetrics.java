package io.mdevplan.planner.report;

import java.util.List;

/** Figures about a plan: how much is placed, how much of the fleet is in use, and how full each pool is. */
public record PlanMetrics(int workloads, int workloadsPlaced, long instancesRequested, long instancesPlaced,
        int hosts, int hostsInUse, int parents, int parentsInUse, List<PoolUse> pools) {
}
