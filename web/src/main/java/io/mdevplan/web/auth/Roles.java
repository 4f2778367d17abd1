package io.mdevplan.web.auth;

import java.util.List;
import java.util.Set;

/**
 * The roles a token carries (docs/security.md), as the constants {@code @RolesAllowed} needs. An admin token holds
 * the planner's and the scheduler's roles too; an executor's holds its own alone and is bound to one host.
 */
public final class Roles {

    /** Policies, tokens, fleet import, commits of scenarios; and everything a planner and a scheduler may do. */
    public static final String ADMIN = "admin";
    /** Scenarios, and reading the fleet, hosts, policies and placements. */
    public static final String PLANNER = "planner";
    /** Requesting and releasing placements, and reading hosts, policies and placements. */
    public static final String SCHEDULER = "scheduler";
    /** One host's agent: that host's inventory, heartbeats and actions (HostAccess holds it to its host). */
    public static final String EXECUTOR = "executor";

    /** Every role, in the order the API lists them. */
    public static final List<String> ALL = List.of(ADMIN, PLANNER, SCHEDULER, EXECUTOR);

    private Roles() {
    }

    /** The roles an identity holding a token of this role has. */
    static Set<String> granted(String role) {
        return ADMIN.equals(role) ? Set.of(ADMIN, PLANNER, SCHEDULER) : Set.of(role);
    }
}
