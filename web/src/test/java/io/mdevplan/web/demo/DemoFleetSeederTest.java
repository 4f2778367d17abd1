package io.mdevplan.web.demo;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.web.demo.DemoFleetSeeder.Outcome;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DemoFleetSeederTest {

    @Inject
    TestData data;

    @Inject
    DemoFleetSeeder seeder;

    @BeforeEach
    void reset() {
        data.reset();
    }

    @Test
    void theTestProfileSeedsNothing() {
        assertThat(data.count("SELECT count(*) FROM hosts")).isZero();
    }

    @Test
    void seedsAFleetOfMixedDriversWithDevicesOnlyOnce() {
        assertThat(seeder.seedOnFirstStart(true)).isEqualTo(Outcome.SEEDED);

        assertThat(data.count("SELECT count(*) FROM hosts")).isEqualTo(36);
        assertThat(data.column("SELECT DISTINCT driver FROM parents ORDER BY driver"))
                .containsExactly("i915", "idxd", "mtty", "nvidia");
        assertThat(data.count("SELECT count(*) FROM devices")).isPositive();
        assertThat(data.count("SELECT count(*) FROM placements WHERE state = 'active'")).isPositive();
        var fleet = data.fingerprint();

        assertThat(seeder.seedOnFirstStart(true)).isEqualTo(Outcome.ALREADY_OFFERED);
        data.execute("TRUNCATE hosts, placements CASCADE");
        assertThat(seeder.seedOnFirstStart(true)).as("after the fleet was emptied").isEqualTo(Outcome.ALREADY_OFFERED);
        assertThat(data.count("SELECT count(*) FROM hosts")).isZero();
        assertThat(fleet).isNotEqualTo(data.fingerprint());
    }

    @Test
    void neverMixesTheDemoIntoAnOperatorsFleet() {
        data.execute("INSERT INTO hosts (name) VALUES ('operator-01')");

        assertThat(seeder.seedOnFirstStart(true)).isEqualTo(Outcome.NOT_EMPTY);
        assertThat(seeder.seedOnFirstStart(true)).isEqualTo(Outcome.ALREADY_OFFERED);
        assertThat(data.column("SELECT name FROM hosts")).containsExactly("operator-01");
    }

    @Test
    void disabledItSeedsNothingAndLeavesTheOfferOpen() {
        assertThat(seeder.seedOnFirstStart(false)).isEqualTo(Outcome.DISABLED);

        assertThat(data.count("SELECT count(*) FROM hosts")).isZero();
        assertThat(data.count("SELECT count(*) FROM service_markers")).isZero();
    }
}
