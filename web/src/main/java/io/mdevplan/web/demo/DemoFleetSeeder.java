package io.mdevplan.web.demo;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.mdevplan.planner.bench.FleetGenerator;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.fleet.FleetStore;
import io.mdevplan.web.inventory.HostEntity;

/**
 * Seeds a demo fleet (the planner's fleet generator: GPU servers, iGPU desktops, DSA servers, serial rigs, some
 * parents already holding devices) so that a fresh service has something to show. Once per database: a marker row
 * records the first try, so a restart, or an operator emptying the fleet, never brings the demo back.
 */
@Singleton
public final class DemoFleetSeeder {

    static final String MARKER = "demo-fleet";
    /** Existing devices only: the generator's workload requests are not inventory. */
    private static final double NO_REQUESTS = 0.0;
    private static final Logger LOG = Logger.getLogger(DemoFleetSeeder.class);

    private final EntityManager em;
    private final FleetStore store;
    private final MdevplanConfig.DemoFleet config;

    DemoFleetSeeder(EntityManager em, FleetStore store, MdevplanConfig config) {
        this.em = em;
        this.store = store;
        this.config = config.demoFleet();
    }

    public enum Outcome {
        SEEDED,
        /** mdevplan.demo-fleet.enabled is false. */
        DISABLED,
        /** Seeded or declined on an earlier start. */
        ALREADY_OFFERED,
        /** The database held hosts on the first start: the operator's fleet is never mixed with the demo. */
        NOT_EMPTY
    }

    /** Seeds the demo fleet if {@code enabled}, never offered before, and no host is stored. */
    @Transactional
    public Outcome seedOnFirstStart(boolean enabled) {
        if (!enabled) {
            return Outcome.DISABLED;
        }
        var first = em.createNativeQuery("INSERT INTO service_markers (name) VALUES (?1) ON CONFLICT DO NOTHING")
                .setParameter(1, MARKER)
                .executeUpdate() == 1;
        if (!first) {
            return Outcome.ALREADY_OFFERED;
        }
        if (HostEntity.count() > 0) {
            return Outcome.NOT_EMPTY;
        }
        var report = store.importFleet(FleetGenerator.generate(config.hosts(), config.seed(), NO_REQUESTS));
        LOG.infof("Seeded a demo fleet of %d hosts, %d parents and %d devices (%d of them placed); replace it with"
                + " POST /api/v1/fleet", report.hosts(), report.parents(), report.devices(), report.placements());
        return Outcome.SEEDED;
    }
}
