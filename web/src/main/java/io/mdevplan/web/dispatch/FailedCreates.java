package io.mdevplan.web.dispatch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.placement.PlacementEntity;
import io.mdevplan.web.placement.PlacementIndex.ParentRef;
import io.mdevplan.web.placement.PlacementService;
import io.mdevplan.web.placement.PlacementView;
import io.mdevplan.web.placement.Replacement;
import io.mdevplan.web.policy.OnFailure;
import io.mdevplan.web.policy.PolicyService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What follows a failed create, by the policy its placement was made under (onFailure). {@code release}: the placement
 * stays failed, its capacity free. {@code replace}: once the failure is committed, the workload is placed again
 * through the online placement's commit rounds, away from every parent its creates failed on in a row, at most
 * {@code mdevplan.dispatch.max-replacements} times in a row, so that a driver failing on every host costs a bounded
 * number of creates. When it is not placed again, the failed placement's reason says why.
 */
@Singleton
public final class FailedCreates {

    /** Joins a failed create's reason and why its workload was not placed again. */
    static final String NOT_PLACED_AGAIN = "; not placed again: ";

    /** The hosts and parents of a failed placement and of the failed ones it was made in place of, in a row. */
    private static final String FAILED_PARENTS = "WITH RECURSIVE chain (replacement_of, parent_id) AS ("
            + "SELECT replacement_of, parent_id FROM placements WHERE id = ? UNION ALL"
            + " SELECT p.replacement_of, p.parent_id FROM placements p JOIN chain c ON p.id = c.replacement_of)"
            + " SELECT h.name, pa.address FROM chain JOIN parents pa ON pa.id = chain.parent_id"
            + " JOIN hosts h ON h.id = pa.host_id";

    private static final String NOT_PLACED = "UPDATE placements SET reason = reason || ?, updated_at = now(),"
            + " version = version + 1 WHERE id = ? AND state = 'failed' RETURNING reason";

    /** What is to follow a failed create once its transaction commits. */
    sealed interface Next {

        /** Nothing: the placement stays failed, its capacity free. */
        Next RELEASE = new Release();

        record Release() implements Next {
        }

        /** The policy says replace, but the workload was placed again as often in a row as allowed. */
        record Limit() implements Next {
        }

        /** Place the request again in place of the failed placement. */
        record Replace(long failedId, PlacementRequest request, String policy, Replacement replacement)
                implements Next {
        }
    }

    /** What followed: the placement made in place of the failed one (null when none was), its reason now. */
    record Followed(PlacementView replacement, String reason) {
    }

    private final EntityManager em;
    private final PolicyService policies;
    private final PlacementService placements;
    private final DispatchMetrics metrics;
    private final int maxReplacements;

    FailedCreates(EntityManager em, PolicyService policies, PlacementService placements, DispatchMetrics metrics,
            MdevplanConfig config) {
        this.em = em;
        this.policies = policies;
        this.placements = placements;
        this.metrics = metrics;
        this.maxReplacements = config.dispatch().maxReplacements();
    }

    /**
     * In the transaction that fails the placement: what is to follow once it commits. When the bound is reached the
     * placement's reason says so.
     */
    Next next(PlacementEntity placement) {
        if (policies.onFailure(placement.policy) != OnFailure.REPLACE) {
            return Next.RELEASE;
        }
        if (placement.replacements >= maxReplacements) {
            placement.reason += NOT_PLACED_AGAIN + "it was placed again " + placement.replacements + " times in a row"
                    + " already (mdevplan.dispatch.max-replacements)";
            return new Next.Limit();
        }
        var request = new PlacementRequest(placement.workload, placement.typeId, placement.instances,
                placement.priority, placement.antiAffinityGroup, new HashMap<>(placement.hostSelector));
        return new Next.Replace(placement.id, request, placement.policy,
                new Replacement(placement.id, placement.replacements + 1, failedParents(placement.id)));
    }

    /**
     * Once the failure is committed: places the workload again when that is to follow, and stores why not when it
     * was not placed. {@code reason} is the failed placement's reason as committed.
     */
    Followed follow(Next next, String reason) {
        if (next instanceof Next.Limit) {
            metrics.replacement("limit");
            return new Followed(null, reason);
        }
        if (!(next instanceof Next.Replace replace)) {
            return new Followed(null, reason);
        }
        var again = placements.placeAgain(replace.request(), replace.policy(), replace.replacement());
        if (again instanceof PlacementService.Again.Placed placed) {
            metrics.replacement("placed");
            return new Followed(placed.placement(), reason);
        }
        var why = ((PlacementService.Again.NotPlaced) again).why();
        metrics.replacement("not-placed");
        var stored = QuarkusTransaction.requiringNew().call(() -> notPlaced(replace.failedId(), why));
        return new Followed(null, stored.orElse(reason));
    }

    private Set<ParentRef> failedParents(long placementId) {
        return session().doReturningWork(connection -> {
            var parents = new HashSet<ParentRef>();
            try (var statement = connection.prepareStatement(FAILED_PARENTS)) {
                statement.setLong(1, placementId);
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        parents.add(new ParentRef(rows.getString(1), rows.getString(2)));
                    }
                }
            }
            return parents;
        });
    }

    /** The failed placement's reason with why it was not placed again; empty if it is gone (a fleet import). */
    private Optional<String> notPlaced(long placementId, String why) {
        return session().doReturningWork(connection -> {
            try (var statement = connection.prepareStatement(NOT_PLACED)) {
                statement.setString(1, NOT_PLACED_AGAIN + why);
                statement.setLong(2, placementId);
                try (var rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
