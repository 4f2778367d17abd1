package io.mdevplan.planner.domain;

/** Whether the devices of listed workloads that already exist may move. */
public enum PlanningMode {
    /** Existing devices stay where they are; only new workloads are placed. */
    PLACE,
    /** Devices owned by listed workloads may move; every move is counted and penalised by the policy. */
    REPLAN
}
