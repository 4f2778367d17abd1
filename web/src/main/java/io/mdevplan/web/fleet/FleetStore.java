package io.mdevplan.web.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetValidator;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.web.inventory.DeviceEntity;
import io.mdevplan.web.inventory.HostEntity;
import io.mdevplan.web.inventory.InventoryReader;
import io.mdevplan.web.inventory.InventoryWriter;
import io.mdevplan.web.inventory.InventoryWriter.HostWrite;
import io.mdevplan.web.inventory.InventoryWriter.Owner;
import io.mdevplan.web.placement.PlacementEntity;
import io.mdevplan.web.placement.PlacementState;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Converts between the stored fleet and the planner's fleet document: whole-fleet import and export. */
@Singleton
public final class FleetStore {

    /** Hosts written per flush: bounds the persistence context of a large import. */
    private static final int HOSTS_PER_FLUSH = 250;

    private final EntityManager em;
    private final InventoryReader reader;
    private final InventoryWriter writer;
    private final Counter imports;
    private final Event<FleetReplaced> replaced;

    FleetStore(EntityManager em, InventoryReader reader, InventoryWriter writer, MeterRegistry registry,
            Event<FleetReplaced> replaced) {
        this.em = em;
        this.reader = reader;
        this.writer = writer;
        this.replaced = replaced;
        this.imports = Counter.builder("mdevplan.fleet.imports")
                .description("Fleet documents imported (POST /api/v1/fleet and the demo fleet)")
                .register(registry);
    }

    /**
     * Replaces the whole fleet (hosts, devices, placements; policies stay) in one transaction, after validating the
     * document. Devices of listed workloads become their active placements; other devices are stored as facts,
     * marked as not placed by mdevplan.
     */
    @Transactional
    public ImportReport importFleet(FleetDocument document) {
        var problems = FleetValidator.validate(document);
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_FLEET, "The fleet document has " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "; nothing was stored. Maybe fix "
                    + (problems.size() == 1 ? "it" : "them") + " as each message says.",
                    problems.stream().map(ProblemItem::of).toList());
        }
        var listed = new HashMap<String, FleetWorkload>();
        document.workloads().forEach(workload -> listed.put(workload.id(), workload));
        var owning = new HashMap<String, FleetWorkload>();
        var owners = new HashSet<String>();
        document.hosts().forEach(host -> host.parents().forEach(parent -> parent.devices().forEach(device -> {
            if (device.workload() != null && listed.containsKey(device.workload())) {
                owning.put(device.uuid(), listed.get(device.workload()));
                owners.add(device.workload());
            }
        })));

        clear();
        var parents = 0;
        var devices = 0;
        for (var from = 0; from < document.hosts().size(); from += HOSTS_PER_FLUSH) {
            var chunk = document.hosts().subList(from, Math.min(from + HOSTS_PER_FLUSH, document.hosts().size()));
            var writes = new ArrayList<HostWrite>(chunk.size());
            for (var fleetHost : chunk) {
                var host = new HostEntity();
                host.name = fleetHost.name();
                host.labels = new HashMap<>(fleetHost.labels());
                host.schedulable = fleetHost.isSchedulable();
                host.persist();
                writes.add(new HostWrite(host, fleetHost, Map.of()));
            }
            var parentsPerHost = writer.write(writes, (device, parent) -> new Owner(device.workload(),
                    owning.containsKey(device.uuid()) ? null : DeviceEntity.UNPLACED));
            for (var i = 0; i < chunk.size(); i++) {
                for (var fleetParent : chunk.get(i).parents()) {
                    var parent = parentsPerHost.get(i).get(fleetParent.address());
                    parents++;
                    for (var device : fleetParent.devices()) {
                        devices++;
                        var workload = owning.get(device.uuid());
                        if (workload != null) {
                            var placement = new PlacementEntity();
                            placement.workload = workload.id();
                            placement.typeId = workload.type();
                            placement.instances = workload.instancesOrOne();
                            placement.priority = workload.priorityOrDefault();
                            placement.antiAffinityGroup = workload.antiAffinityGroup();
                            placement.hostSelector = new HashMap<>(workload.hostSelector());
                            placement.parent = parent;
                            placement.deviceUuid = UUID.fromString(device.uuid());
                            placement.state = PlacementState.ACTIVE;
                            placement.persist();
                        }
                    }
                }
            }
            em.flush();
            em.clear();
        }
        imports.increment();
        replaced.fire(new FleetReplaced(document.hosts().size()));
        var notImported = document.workloads().stream()
                .map(FleetWorkload::id)
                .filter(id -> !owners.contains(id))
                .toList();
        return new ImportReport(document.hosts().size(), parents, devices, owning.size(), notImported,
                notImported.isEmpty() ? null : ImportReport.NOT_IMPORTED_NOTE);
    }

    /**
     * The stored fleet in the document format: every host with its devices (each carrying its workload), and the
     * live placements as workloads.
     */
    @Transactional
    public FleetDocument export() {
        reader.readOnly();
        var hosts = reader.all().stream().map(host -> InventoryReader.toFleetHost(host, false)).toList();
        return new FleetDocument(hosts, liveWorkloads());
    }

    /**
     * The fleet as capacity stands, for planning on it (what-if scenarios): as {@link #export()}, with the live
     * placements whose device no host reports yet as their workloads' devices (so the planner keeps them where they
     * were placed rather than placing them anew) and scenarios' reservations as devices no workload owns (held, never
     * moved).
     */
    @Transactional
    public FleetDocument planningFleet() {
        reader.readOnly();
        var hosts = reader.all().stream().map(host -> InventoryReader.toFleetHost(host, true)).toList();
        return new FleetDocument(hosts, liveWorkloads());
    }

    private static List<FleetWorkload> liveWorkloads() {
        return PlacementEntity.<PlacementEntity>list("state in ?1 order by id", PlacementState.LIVE).stream()
                .map(placement -> new FleetWorkload(placement.workload, placement.typeId, placement.instances,
                        placement.priority, placement.antiAffinityGroup, placement.hostSelector))
                .toList();
    }

    /** Deletes the fleet bottom-up, each table in one statement (cascading row by row would be slower). */
    private void clear() {
        for (var entity : List.of("PlacementEntity", "TypeCostEntity", "DeviceEntity", "PoolEntity", "TypeEntity",
                "ParentEntity", "HostEntity")) {
            em.createQuery("delete from " + entity).executeUpdate();
        }
    }
}
