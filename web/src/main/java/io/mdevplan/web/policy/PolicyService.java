package io.mdevplan.web.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.mdevplan.web.problem.SafeNames;

/**
 * The placement policies: stored named weightings of the planner's soft rules, validated by the planner's Policy.
 * The built-in catalogue is seeded into an empty table at start-up.
 */
@Singleton
public final class PolicyService {

    /** The cache's key for "the default policy". */
    private static final String DEFAULT_KEY = "";

    private final EntityManager em;
    private final long cacheNanos;
    /** Policies as placements use them, kept for the sync interval: read per request they would cost round trips. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    PolicyService(EntityManager em, MdevplanConfig config) {
        this.em = em;
        this.cacheNanos = config.placement().syncInterval().toNanos();
    }

    private record Cached(Policy policy, long loadedNanos) {
    }

    /** The answer to a PUT: the stored policy, and whether it was new. */
    public record Stored(PolicyView policy, boolean created) {
    }

    @Transactional
    public List<PolicyView> list() {
        return PolicyEntity.<PolicyEntity>list("order by name").stream().map(PolicyService::view).toList();
    }

    @Transactional
    public PolicyView get(String name) {
        checkName(name);
        return view(find(name, ProblemType.NOT_FOUND, "{name}"));
    }

    /**
     * The planner policy a placement uses: the named one, or the default for null. An unknown name is refused as a
     * 422 on the request's $.policy.
     */
    @Transactional
    public Policy policy(String nameOrNull) {
        var entity = nameOrNull == null
                ? PolicyEntity.<PolicyEntity>find("isDefault", true).firstResultOptional().orElseThrow(() ->
                        new ProblemException(ProblemType.CONFLICT, "No policy is the default. Maybe PUT one with"
                                + " \"default\": true, e.g. /api/v1/policies/" + PolicyCatalog.DEFAULT + "."))
                : find(nameOrNull, ProblemType.UNPROCESSABLE, "$.policy");
        return new Policy(entity.name, entity.description, entity.weights);
    }

    /** Every stored policy as the planner's, for scenarios, which may name any of them. */
    @Transactional
    public List<Policy> all() {
        return PolicyEntity.<PolicyEntity>list("order by name").stream()
                .map(entity -> new Policy(entity.name, entity.description, entity.weights)).toList();
    }

    /**
     * {@link #policy}, remembered for the sync interval (mdevplan.placement.sync-interval): a change made through
     * this replica applies at once, one made through another within that interval.
     */
    public Policy cached(String nameOrNull) {
        var key = nameOrNull == null ? DEFAULT_KEY : nameOrNull;
        var cached = cache.get(key);
        if (cached != null && System.nanoTime() - cached.loadedNanos() < cacheNanos) {
            return cached.policy();
        }
        var policy = policy(nameOrNull);
        cache.put(key, new Cached(policy, System.nanoTime()));
        return policy;
    }

    /** Forgets the cached policies, after the table changed behind the service's back (SQL, tests). */
    public void clearCache() {
        cache.clear();
    }

    /** Creates or replaces a policy; with default true it takes over from the previous default. */
    @Transactional
    public Stored put(String name, PolicyRequest request) {
        cache.clear();
        checkName(name);
        var policy = checked(name, request);
        var entity = PolicyEntity.<PolicyEntity>findById(name);
        var created = entity == null;
        if (created) {
            entity = new PolicyEntity();
            entity.name = name;
        }
        var makeDefault = request.isDefault() == null ? entity.isDefault : request.isDefault();
        if (entity.isDefault && !makeDefault) {
            throw new ProblemException(ProblemType.CONFLICT, "Policy " + name + " is the default, and placements"
                    + " without a policy need one. Maybe PUT another policy with \"default\": true first.",
                    List.of(new ProblemItem("$.default", "false", "the default policy cannot stop being it")));
        }
        if (makeDefault && !entity.isDefault) {
            // one default at most (a unique index): the previous one steps down first
            em.createQuery("update PolicyEntity p set p.isDefault = false where p.isDefault = true").executeUpdate();
        }
        entity.description = request.description();
        entity.weights = new HashMap<>(policy.softWeights());
        entity.isDefault = makeDefault;
        if (request.onFailure() != null) {
            entity.onFailure = request.onFailure();
        }
        if (created) {
            entity.persist();
        }
        return new Stored(view(entity), created);
    }

    /** Seeds the built-in policies when the table is empty; concurrent starts may both try, the first one wins. */
    @Transactional
    public int seedBuiltIns() {
        if (PolicyEntity.count() > 0) {
            return 0;
        }
        var seeded = 0;
        for (var policy : PolicyCatalog.all()) {
            seeded += em.createNativeQuery("INSERT INTO policies (name, description, weights, is_default)"
                    + " VALUES (?1, ?2, CAST(?3 AS jsonb), ?4) ON CONFLICT DO NOTHING")
                    .setParameter(1, policy.name())
                    .setParameter(2, policy.description())
                    .setParameter(3, FleetJson.toJson(policy.softWeights()))
                    .setParameter(4, policy.name().equals(PolicyCatalog.DEFAULT))
                    .executeUpdate();
        }
        return seeded;
    }

    /**
     * What follows a failed create of a placement made under the named policy, or the default one for null; release
     * when there is no such policy (any more).
     */
    @Transactional
    public OnFailure onFailure(String nameOrNull) {
        var entity = nameOrNull == null ? PolicyEntity.<PolicyEntity>find("isDefault", true).firstResultOptional()
                : PolicyEntity.<PolicyEntity>findByIdOptional(nameOrNull);
        return entity.flatMap(policy -> OnFailure.of(policy.onFailure)).orElse(OnFailure.RELEASE);
    }

    /** The default policy's name, if there is one: placements without a policy need it. */
    @Transactional
    public Optional<String> defaultName() {
        return PolicyEntity.<PolicyEntity>find("isDefault", true).firstResultOptional().map(policy -> policy.name);
    }

    /**
     * Every weight judged by the planner's Policy, one rule at a time, so each bad rule is named with its path; and
     * onFailure, the service's own setting.
     */
    private static Policy checked(String name, PolicyRequest request) {
        if (request.weights() == null) {
            throw new ProblemException(ProblemType.INVALID_POLICY, "The policy has no weights. Maybe send"
                    + " {\"weights\": {\"parents-in-use\": 100}}; rules left out weigh 0.",
                    List.of(new ProblemItem("$.weights", null, "required")));
        }
        var problems = new ArrayList<ProblemItem>();
        request.weights().forEach((rule, weight) -> {
            if (weight == null) {
                problems.add(new ProblemItem("$.weights." + rule, null, "a weight must be an integer >= 0. Maybe use"
                        + " 0 to switch the rule off."));
                return;
            }
            try {
                new Policy(name, request.description(), Map.of(rule, weight));
            } catch (IllegalArgumentException e) {
                problems.add(new ProblemItem("$.weights." + rule, String.valueOf(weight), e.getMessage()));
            }
        });
        if (request.onFailure() != null && OnFailure.of(request.onFailure()).isEmpty()) {
            problems.add(new ProblemItem("$.onFailure", request.onFailure(), "Policy " + name + " says what follows"
                    + " a failed create with " + request.onFailure() + ". Maybe use release (the placement stays"
                    + " failed) or replace (the workload is placed again elsewhere)."));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_POLICY, "Policy " + name + " has " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "; nothing was stored. Maybe fix "
                    + (problems.size() == 1 ? "it" : "them") + " as each message says.", problems);
        }
        return new Policy(name, request.description(), request.weights());
    }

    private static PolicyEntity find(String name, ProblemType type, String path) {
        var entity = PolicyEntity.<PolicyEntity>findById(name);
        if (entity == null) {
            var known = PolicyEntity.<PolicyEntity>list("order by name").stream().map(policy -> policy.name).toList();
            throw new ProblemException(type, "No policy is named " + name + ". Maybe use one of: "
                    + (known.isEmpty() ? "(none yet: PUT /api/v1/policies/{name})" : String.join(", ", known)) + ".",
                    List.of(new ProblemItem(path, name, "no such policy")));
        }
        return entity;
    }

    private static void checkName(String name) {
        SafeNames.check("the policy name", "{name}", name);
    }

    private static PolicyView view(PolicyEntity entity) {
        return new PolicyView(entity.name, entity.description, new TreeMap<>(entity.weights), entity.isDefault,
                entity.onFailure);
    }
}
