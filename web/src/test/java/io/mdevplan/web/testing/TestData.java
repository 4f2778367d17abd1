package io.mdevplan.web.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.mdevplan.web.policy.PolicyService;

/** Puts the shared test database back to a fresh start (no fleet, built-in policies) and reads it behind the API. */
@Singleton
public final class TestData {

    /** The planner's example fleets, one per driver family. */
    public static final Path EXAMPLES = Path.of("..", "planner", "examples");

    private final EntityManager em;
    private final PolicyService policies;

    TestData(EntityManager em, PolicyService policies) {
        this.em = em;
        this.policies = policies;
    }

    @Transactional
    public void reset() {
        em.createNativeQuery("TRUNCATE hosts, placements, policies, service_markers, scenarios CASCADE").executeUpdate();
        policies.seedBuiltIns();
        policies.clearCache();
    }

    /** A count (or any single number) straight from the database. */
    @Transactional
    public long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }

    /** The first column of every row, as text, straight from the database. */
    @Transactional
    public List<String> column(String sql) {
        return em.createNativeQuery(sql).getResultList().stream().map(String::valueOf).toList();
    }

    @Transactional
    public void execute(String sql) {
        em.createNativeQuery(sql).executeUpdate();
    }

    /** Rows in every inventory table: what a refused request must leave untouched. */
    public String fingerprint() {
        return column("SELECT (SELECT count(*) FROM hosts) || '/' || (SELECT count(*) FROM parents) || '/'"
                + " || (SELECT count(*) FROM pools) || '/' || (SELECT count(*) FROM types) || '/'"
                + " || (SELECT count(*) FROM type_costs) || '/' || (SELECT count(*) FROM devices) || '/'"
                + " || (SELECT count(*) FROM placements) || '/' || (SELECT coalesce(sum(version), 0) FROM hosts)"
                + " || '/' || (SELECT md5(coalesce(string_agg(name || labels::text || schedulable, ','"
                + " ORDER BY name), '')) FROM hosts)"
                + " || '/' || (SELECT md5(coalesce(string_agg(name || weights::text || is_default || on_failure, ','"
                + " ORDER BY name), '')) FROM policies)").get(0);
    }

    /** See {@link PoolAudits#OVERBOOKED_POOLS}. */
    public List<String> overbookedPools() {
        return column(PoolAudits.OVERBOOKED_POOLS);
    }

    /** See {@link PoolAudits#ANTI_AFFINITY_BREACHES}. */
    public List<String> antiAffinityBreaches() {
        return column(PoolAudits.ANTI_AFFINITY_BREACHES);
    }

    public static String example(String file) {
        try {
            return Files.readString(EXAMPLES.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the planner example " + file + ". Maybe run the tests from"
                    + " the web module, next to ../planner/examples.", e);
        }
    }
}
