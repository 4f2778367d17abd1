package io.mdevplan.web.placement;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.fleet.FleetReplaced;
import io.mdevplan.web.host.InventoryReplaced;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps this replica's {@link PlacementIndex} close to the database: built at start, rebuilt when the fleet's hosts
 * or what they offer change, and every sync interval the hosts whose books version moved (other replicas' placements
 * and releases, inventory reports) are reloaded.
 */
@Singleton
public final class PlacementIndexSync {

    private static final Logger LOG = Logger.getLogger(PlacementIndexSync.class);

    private final PlacementIndex index;
    private final HostBooks books;
    private final long refusalMaxAgeNanos;
    private final AtomicLong lastSyncNanos = new AtomicLong();
    private final Counter hostReloads;
    private final Timer rebuilds;

    PlacementIndexSync(PlacementIndex index, HostBooks books, MdevplanConfig config, MeterRegistry registry) {
        this.index = index;
        this.books = books;
        this.refusalMaxAgeNanos = config.placement().refusalMaxAge().toNanos();
        this.hostReloads = Counter.builder("mdevplan.placement.index.host.reloads")
                .description("Hosts whose view in the placement index was reloaded from the database")
                .register(registry);
        this.rebuilds = Timer.builder("mdevplan.placement.index.rebuilds")
                .description("Whole rebuilds of the placement index from the database")
                .register(registry);
    }

    /** Builds the index if this replica has none yet. */
    public void ensureBuilt() {
        if (!index.isInstalled()) {
            synchronized (this) {
                if (!index.isInstalled()) {
                    rebuild();
                }
            }
        }
    }

    /** Reloads the whole fleet into a new index (after a fleet import, or when hosts came, went or changed). */
    public synchronized void rebuild() {
        var started = System.nanoTime();
        lastSyncNanos.set(started);
        var hosts = QuarkusTransaction.requiringNew().call(books::loadAll);
        index.install(hosts);
        rebuilds.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        LOG.debugf("Placement index rebuilt: %d hosts in %d ms", hosts.size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** A fleet import replaced every host: this replica rebuilds at once, the others at their next sync. */
    void onFleetReplaced(@Observes(during = TransactionPhase.AFTER_SUCCESS) FleetReplaced replaced) {
        rebuild();
    }

    /** A host's inventory was replaced here: this replica reloads it at once, the others at their next sync. */
    void onInventoryReplaced(@Observes(during = TransactionPhase.AFTER_SUCCESS) InventoryReplaced replaced) {
        if (index.isInstalled()) {
            reload(List.of(replaced.hostId()));
        }
    }

    @Scheduled(every = "${mdevplan.placement.sync-interval:1s}", delayed = "${mdevplan.placement.sync-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSync() {
        if (index.isInstalled()) {
            sync();
        }
    }

    /**
     * Before a refusal is answered: syncs unless the last sync is recent enough (mdevplan.placement.refusal-max-age).
     * Refusals arriving together wait for one sync.
     */
    public synchronized boolean syncIfOlderThanRefusalAge() {
        if (System.nanoTime() - lastSyncNanos.get() < refusalMaxAgeNanos) {
            return false;
        }
        sync();
        return true;
    }

    /** Reloads the hosts whose books moved; rebuilds when the host set or a host's offer changed. */
    public synchronized void sync() {
        lastSyncNanos.set(System.nanoTime());
        var stale = index.stale(QuarkusTransaction.requiringNew().call(books::versions));
        if (stale == null) {
            rebuild();
            return;
        }
        reload(stale);
    }

    /** Reloads these hosts' views; rebuilds when one offers something else now. */
    public synchronized void reload(Collection<Long> hostIds) {
        if (hostIds.isEmpty()) {
            return;
        }
        var loaded = QuarkusTransaction.requiringNew().call(() -> books.load(hostIds));
        for (var host : loaded) {
            if (!index.refresh(host)) {
                rebuild();
                return;
            }
        }
        hostReloads.increment(loaded.size());
        if (loaded.size() < hostIds.size()) {
            rebuild();
        }
    }
}
