package io.mdevplan.web.host;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetValidator;
import io.mdevplan.web.dispatch.HostActions;
import io.mdevplan.web.inventory.DeviceEntity;
import io.mdevplan.web.inventory.HostEntity;
import io.mdevplan.web.inventory.InventoryReader;
import io.mdevplan.web.inventory.InventoryWriter;
import io.mdevplan.web.inventory.InventoryWriter.HostWrite;
import io.mdevplan.web.inventory.InventoryWriter.Owner;
import io.mdevplan.web.inventory.ParentEntity;
import io.mdevplan.web.placement.HostBooks;
import io.mdevplan.web.placement.PlacementEntity;
import io.mdevplan.web.placement.PlacementState;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.mdevplan.web.problem.SafeNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Hosts: their inventory with capacity, and replacing one host's inventory as the host reports it. */
@Singleton
public final class HostService {

    private static final int SUGGESTED_NAMES = 5;

    private final EntityManager em;
    private final InventoryReader reader;
    private final InventoryWriter writer;
    private final HostBooks books;
    private final HostActions actions;
    private final Event<InventoryReplaced> inventoryReplaced;
    private final Counter updates;

    HostService(EntityManager em, InventoryReader reader, InventoryWriter writer, HostBooks books, HostActions actions,
            Event<InventoryReplaced> inventoryReplaced, MeterRegistry registry) {
        this.em = em;
        this.inventoryReplaced = inventoryReplaced;
        this.books = books;
        this.reader = reader;
        this.writer = writer;
        this.actions = actions;
        this.updates = Counter.builder("mdevplan.inventory.updates")
                .description("Host inventories replaced (PUT /api/v1/hosts/{name}/inventory)")
                .register(registry);
    }

    /** The answer to a PUT: the report, and whether the host was new. */
    public record Replaced(InventoryReport report, boolean created) {
    }

    @Transactional
    public List<HostView> list() {
        reader.readOnly();
        return HostViews.of(reader.all(), actions.counts(null));
    }

    @Transactional
    public HostView get(String name) {
        checkName(name);
        reader.readOnly();
        var stored = reader.host(name).orElseThrow(() -> unknownHost(name));
        return HostViews.of(List.of(stored), actions.counts(List.of(stored.host().id))).get(0);
    }

    /**
     * Replaces the host's parents, pools, types and devices with what it reports, in one transaction holding the
     * host's row lock. Placements are never deleted: where the host disagrees with them they are marked with drift,
     * and reported devices no placement owns are stored marked as not placed by mdevplan. Labels change only when
     * the body carries some and schedulable only when it is sent: a host reporting sysfs knows neither, and the fleet
     * format writes no labels as {}. Everything is checked before anything is written.
     */
    @Transactional
    public Replaced replaceInventory(String name, FleetHost body) {
        checkName(name);
        var reported = checked(name, body);
        var reportedDevices = new HashMap<UUID, Reported>();
        reported.parents().forEach(parent -> parent.devices().forEach(device ->
                reportedDevices.put(UUID.fromString(device.uuid()), new Reported(parent.address(), device))));
        refuseDevicesOfOtherHosts(name, reported);

        var host = HostEntity.<HostEntity>find("name", name).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional().orElse(null);
        var created = host == null;
        if (created) {
            host = new HostEntity();
            host.name = name;
            host.persist();
        }
        var storedUuids = new HashSet<>(em.createQuery(
                "select d.uuid from DeviceEntity d where d.parent.host.id = :host", UUID.class)
                .setParameter("host", host.id).getResultList());
        var reportedAddresses = new HashSet<String>();
        reported.parents().forEach(parent -> reportedAddresses.add(parent.address()));

        var drift = new ArrayList<DriftLine>();
        var owners = owners(host, reportedDevices, drift);
        drift.addAll(markPlacements(host, reportedDevices, storedUuids, reportedAddresses));
        if (!reported.labels().isEmpty()) {
            host.labels = new HashMap<>(reported.labels());
        }
        if (reported.schedulable() != null) {
            host.schedulable = reported.schedulable();
        }
        // drift must be in the rows before a vanished parent's delete sets their parent_id to null
        em.flush();
        deleteInventory(host.id, reportedAddresses);
        // a report is a sign of life too; its drift was read now
        em.createNativeQuery("UPDATE hosts SET last_heartbeat = now(), last_inventory_at = now() WHERE id = ?1")
                .setParameter(1, host.id).executeUpdate();
        em.clear();

        var hostId = host.id;
        host = HostEntity.findById(hostId);
        var kept = new HashMap<String, ParentEntity>();
        ParentEntity.<ParentEntity>list("host.id", hostId).forEach(parent -> kept.put(parent.address, parent));
        writer.write(List.of(new HostWrite(host, reported, kept)), (device, parent) ->
                owners.get(UUID.fromString(device.uuid())));
        em.flush();
        // what holds capacity on the host may have changed: every replica's placement index reloads it
        books.bump(hostId);
        inventoryReplaced.fire(new InventoryReplaced(hostId));
        updates.increment();
        var view = HostViews.of(reader.load(List.of(host), List.of(hostId)), actions.counts(List.of(hostId))).get(0);
        return new Replaced(new InventoryReport(view, drift), created);
    }

    /** A device as the host reports it, with the address of its parent. */
    private record Reported(String address, FleetDevice device) {
    }

    private static FleetHost checked(String name, FleetHost body) {
        if (body.name() != null && !body.name().equals(name)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The body names host " + body.name()
                    + " but the path names " + name + ". Maybe leave name out of the body, or PUT to /api/v1/hosts/"
                    + body.name() + "/inventory.", List.of(new ProblemItem("$.name", body.name(),
                            "must be " + name + " or absent")));
        }
        var host = new FleetHost(name, body.labels(), body.schedulable(), body.parents());
        // the planner's validator checks a fleet, so the host goes in as a fleet of one
        var problems = FleetValidator.validate(new FleetDocument(List.of(host), List.of()));
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_FLEET, "The inventory of host " + name + " has "
                    + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "; nothing was stored."
                    + " Maybe fix " + (problems.size() == 1 ? "it" : "them") + " as each message says.",
                    problems.stream().map(problem -> new ProblemItem(
                            "$" + problem.path().substring("$.hosts[0]".length()), problem.value(),
                            problem.message())).toList());
        }
        return host;
    }

    /** A UUID names one device in the whole fleet; a host cannot report a device stored on another host. */
    private static void refuseDevicesOfOtherHosts(String name, FleetHost reported) {
        var uuids = new ArrayList<UUID>();
        reported.parents().forEach(parent -> parent.devices()
                .forEach(device -> uuids.add(UUID.fromString(device.uuid()))));
        if (uuids.isEmpty()) {
            return;
        }
        var elsewhere = new HashMap<UUID, String>();
        DeviceEntity.<DeviceEntity>list("uuid in ?1 and parent.host.name <> ?2", uuids, name)
                .forEach(device -> elsewhere.put(device.uuid, device.parent.host.name + "/" + device.parent.address));
        if (elsewhere.isEmpty()) {
            return;
        }
        var problems = new ArrayList<ProblemItem>();
        for (var p = 0; p < reported.parents().size(); p++) {
            var devices = reported.parents().get(p).devices();
            for (var d = 0; d < devices.size(); d++) {
                var where = elsewhere.get(UUID.fromString(devices.get(d).uuid()));
                if (where != null) {
                    problems.add(new ProblemItem("$.parents[" + p + "].devices[" + d + "].uuid", devices.get(d).uuid(),
                            "this device is stored on " + where + ". Maybe that host's inventory is stale: PUT it"
                                    + " first, or fix the UUID."));
                }
            }
        }
        throw new ProblemException(ProblemType.CONFLICT, "Host " + name + " reports " + problems.size()
                + (problems.size() == 1 ? " device" : " devices") + " stored on another host; nothing was stored."
                + " Maybe update the other host first.", problems);
    }

    /**
     * Who owns each reported device: the live placement with its UUID, else the workload it names if that has a live
     * placement; devices no placement owns drift as not placed by mdevplan (and are listed in {@code drift}).
     */
    private static Map<UUID, Owner> owners(HostEntity host, Map<UUID, Reported> reported, List<DriftLine> drift) {
        var byUuid = new HashMap<UUID, PlacementEntity>();
        if (!reported.isEmpty()) {
            PlacementEntity.<PlacementEntity>list("state in ?1 and deviceUuid in ?2", PlacementState.LIVE,
                    reported.keySet()).forEach(placement -> byUuid.put(placement.deviceUuid, placement));
        }
        var named = new HashSet<String>();
        reported.values().forEach(device -> {
            if (device.device().workload() != null) {
                named.add(device.device().workload());
            }
        });
        var placedWorkloads = new HashSet<String>();
        if (!named.isEmpty()) {
            PlacementEntity.<PlacementEntity>list("state in ?1 and workload in ?2", PlacementState.LIVE, named)
                    .forEach(placement -> placedWorkloads.add(placement.workload));
        }
        var owners = new HashMap<UUID, Owner>();
        reported.forEach((uuid, device) -> {
            var placement = byUuid.get(uuid);
            var workload = device.device().workload();
            String why;
            if (placement != null) {
                workload = workload == null ? placement.workload : workload;
                why = mismatch(placement, host, device);
            } else {
                why = workload != null && placedWorkloads.contains(workload) ? null : DeviceEntity.UNPLACED;
            }
            owners.put(uuid, new Owner(workload, why));
            // a device unlike its placement is reported once, as the placement's drift
            if (DeviceEntity.UNPLACED.equals(why)) {
                drift.add(new DriftLine(DriftLine.DEVICE, uuid.toString(), device.address(), workload, why));
            }
        });
        return owners;
    }

    /**
     * Marks the live placements this inventory speaks about: those on the host's parents and those whose device it
     * reports. A device the host stored before (or that an active placement says exists) and no longer reports is
     * drift; a pending or applying placement whose device was never reported is simply not created yet.
     */
    private List<DriftLine> markPlacements(HostEntity host, Map<UUID, Reported> reported, Set<UUID> storedUuids,
            Set<String> reportedAddresses) {
        var query = "select p from PlacementEntity p left join p.parent parent where p.state in :live"
                + " and (parent.host.id = :host" + (reported.isEmpty() ? ")" : " or p.deviceUuid in :uuids)")
                + " order by p.id";
        var typed = em.createQuery(query, PlacementEntity.class)
                .setParameter("live", PlacementState.LIVE)
                .setParameter("host", host.id);
        if (!reported.isEmpty()) {
            typed.setParameter("uuids", reported.keySet());
        }
        var drift = new ArrayList<DriftLine>();
        for (var placement : typed.getResultList()) {
            var device = placement.deviceUuid == null ? null : reported.get(placement.deviceUuid);
            String why;
            if (device != null) {
                why = mismatch(placement, host, device);
            } else if (placement.parent == null || !placement.parent.host.id.equals(host.id)) {
                continue;
            } else {
                var address = placement.parent.address;
                var parentGone = !reportedAddresses.contains(address);
                var existed = placement.deviceUuid != null
                        && (storedUuids.contains(placement.deviceUuid) || placement.state == PlacementState.ACTIVE);
                if (existed) {
                    why = "device " + placement.deviceUuid + " is no longer reported by host " + host.name
                            + (parentGone ? ", nor is its parent " + address : " on parent " + address);
                } else if (parentGone) {
                    why = "parent " + address + " is no longer reported by host " + host.name;
                } else {
                    why = null;
                }
            }
            placement.drift = why;
            if (why != null) {
                drift.add(new DriftLine(DriftLine.PLACEMENT, placement.deviceUuid == null ? null
                        : placement.deviceUuid.toString(), placement.parent == null ? null : placement.parent.address,
                        placement.workload, why));
            }
        }
        return drift;
    }

    /** Why a reported device differs from its placement, or null when it is where and what was placed. */
    private static String mismatch(PlacementEntity placement, HostEntity host, Reported reported) {
        var device = reported.device();
        var at = host.name + "/" + reported.address();
        var placedAt = placement.parent == null ? null : placement.parent.host.name + "/" + placement.parent.address;
        if (!at.equals(placedAt)) {
            return "device " + device.uuid().toLowerCase(Locale.ROOT) + " is reported on " + at + " but was placed on "
                    + (placedAt == null ? "no parent" : placedAt);
        }
        if (!device.type().equals(placement.typeId) || device.instancesOrOne() != placement.instances) {
            return "device " + device.uuid().toLowerCase(Locale.ROOT) + " is reported as " + device.type() + " x"
                    + device.instancesOrOne() + " but was placed as " + placement.typeId + " x" + placement.instances;
        }
        return null;
    }

    /** Deletes the host's devices, types (their costs cascade) and pools, and the parents it no longer reports. */
    private void deleteInventory(long hostId, Collection<String> reportedAddresses) {
        var ofHost = " in (select p.id from ParentEntity p where p.host.id = :host)";
        em.createQuery("delete from DeviceEntity d where d.parent.id" + ofHost).setParameter("host", hostId)
                .executeUpdate();
        em.createQuery("delete from TypeCostEntity c where c.typeRef in (select t.id from TypeEntity t"
                + " where t.parent.id" + ofHost + ")").setParameter("host", hostId).executeUpdate();
        em.createQuery("delete from TypeEntity t where t.parent.id" + ofHost).setParameter("host", hostId)
                .executeUpdate();
        em.createQuery("delete from PoolEntity p where p.parent.id" + ofHost).setParameter("host", hostId)
                .executeUpdate();
        var vanished = em.createQuery("delete from ParentEntity p where p.host.id = :host"
                + (reportedAddresses.isEmpty() ? "" : " and p.address not in :addresses"))
                .setParameter("host", hostId);
        if (!reportedAddresses.isEmpty()) {
            vanished.setParameter("addresses", reportedAddresses);
        }
        vanished.executeUpdate();
    }

    static void checkName(String name) {
        SafeNames.check("the host name", "{name}", name);
    }

    private ProblemException unknownHost(String name) {
        var names = em.createQuery("select h.name from HostEntity h order by h.name", String.class).getResultList();
        var suggestions = names.stream()
                .sorted(Comparator.comparingInt((String known) -> -commonPrefix(known, name))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(SUGGESTED_NAMES)
                .toList();
        return new ProblemException(ProblemType.NOT_FOUND, "No host is named " + name + ". Maybe use one of: "
                + (suggestions.isEmpty() ? "(no hosts yet: PUT /api/v1/hosts/" + name + "/inventory or POST"
                        + " /api/v1/fleet)" : String.join(", ", suggestions)
                        + (names.size() > suggestions.size() ? ", ... (GET /api/v1/hosts lists all)" : "")) + ".",
                List.of(new ProblemItem("{name}", name, "no such host")));
    }

    private static int commonPrefix(String a, String b) {
        var length = 0;
        while (length < a.length() && length < b.length() && a.charAt(length) == b.charAt(length)) {
            length++;
        }
        return length;
    }
}
