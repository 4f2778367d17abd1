package io.mdevplan.planner.report;

/** Use of all pools of one name across the fleet, e.g. all "framebuffer" pools. */
public record PoolUse(String pool, long used, long capacity, double usedShare) {
}
