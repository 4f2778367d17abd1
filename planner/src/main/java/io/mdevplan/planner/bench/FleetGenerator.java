package io.mdevplan.planner.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToIntFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.fleet.FleetWorkload;

/**
 * Generates a realistic fleet document from a seed: hosts of several models (GPU servers with 2 to 8 NVIDIA cards,
 * iGPU desktops, DSA servers, serial test rigs) in racks and zones, some unschedulable, some parents already holding
 * devices, and workloads asking for {@code fill} times the fleet's free capacity. The same arguments always give the
 * same document.
 *
 * <p>Capacity and demand are counted in parent-equivalents: a device counts as the share of an empty parent its
 * tightest pool takes (an nvidia-48 device a quarter of its GPU, an mtty-2 one a twelfth of its ports). With
 * {@code fill = 1.0} the workloads would fill every schedulable parent exactly if packing were perfect; one type per
 * GPU, host selectors and anti-affinity leave some of them unplaced.
 */
public final class FleetGenerator {

    public static final double DEFAULT_FILL = 1.0;
    /** Far beyond any sensible benchmark; keeps a typo from asking for billions of workloads. */
    public static final double MAX_FILL = 10.0;
    /** The most parents a host of fixed size carries: 8 GPUs and 8 DSA devices ({@link MixedHostModel}). */
    public static final int MAX_PARENTS_PER_HOST = 16;

    private static final List<String> ZONES = List.of("a", "b", "c");
    private static final int HOSTS_PER_RACK = 20;
    private static final double UNSCHEDULABLE_SHARE = 0.02;
    /** Parents that already hold devices, each filled to between the two shares below. */
    private static final double PREFILLED_PARENT_SHARE = 0.2;
    private static final double PREFILL_MIN = 0.1;
    private static final double PREFILL_MAX = 0.7;
    /** Of the existing devices: owned by a listed workload; the rest by unlisted VMs, a fifth of them by nobody. */
    private static final double LISTED_OWNER_SHARE = 0.5;
    private static final double ANONYMOUS_SHARE = 0.2;
    private static final double SELECTOR_SHARE = 0.2;
    /** The chance that a request starts an anti-affinity group: with groups of 3 to 10, about a tenth of workloads. */
    private static final double GROUP_START = 0.017;
    private static final int MIN_GROUP = 3;
    private static final int MAX_GROUP = 10;
    private static final int MAX_PRIORITY = 10;

    private static final ObjectMapper SORTED = FleetJson.mapper().copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Every host's parent count, or 0 for the host models' own counts. */
    private final int parentsPerHost;
    private final Random random;
    private final Set<UUID> uuids = new HashSet<>();
    private final List<FleetWorkload> workloads = new ArrayList<>();
    /** Free capacity of the schedulable parents, in parent-equivalents, per family. */
    private final Map<DriverFamily, Double> freeCapacity = new EnumMap<>(DriverFamily.class);
    private int workloadCount;
    private int externalCount;
    private int groupCount;

    private FleetGenerator(long seed, int parentsPerHost) {
        this.random = new Random(seed);
        this.parentsPerHost = parentsPerHost;
    }

    /** A fleet of {@code hosts} hosts with workloads for {@code fill} times its free capacity. */
    public static FleetDocument generate(int hosts, long seed, double fill) {
        checkArguments(hosts, fill);
        return new FleetGenerator(seed, 0).fleet(hosts, fill);
    }

    /**
     * Like {@link #generate(int, long, double)}, but every host carries exactly {@code parentsPerHost} parents of mixed
     * families ({@link MixedHostModel}: GPU, VDI, DSA and mixed accelerator servers), so that fleet sizes compare by
     * parents as well as by hosts.
     */
    public static FleetDocument generate(int hosts, long seed, double fill, int parentsPerHost) {
        checkArguments(hosts, fill);
        if (parentsPerHost < 1 || parentsPerHost > MAX_PARENTS_PER_HOST) {
            throw new IllegalArgumentException(parentsPerHost + " parents per host is outside 1 to "
                    + MAX_PARENTS_PER_HOST + ". Maybe use 8.");
        }
        return new FleetGenerator(seed, parentsPerHost).fleet(hosts, fill);
    }

    private static void checkArguments(int hosts, double fill) {
        if (hosts < 1) {
            throw new IllegalArgumentException("A fleet of " + hosts + " hosts is empty. Maybe ask for 1 host or more.");
        }
        if (!(fill >= 0 && fill <= MAX_FILL)) {
            throw new IllegalArgumentException("fill " + fill + " is outside 0 to " + MAX_FILL
                    + ". Maybe use 1.0 for workloads that would just fill the fleet.");
        }
    }

    /**
     * The document as JSON with map keys sorted, so the same seed gives the same bytes in every JVM (label maps
     * iterate in a per-JVM order otherwise).
     */
    public static String toJson(FleetDocument document) {
        try {
            return SORTED.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the generated fleet of " + document.hosts().size()
                    + " hosts as JSON. Maybe a record gained a field Jackson cannot write.", e);
        }
    }

    private FleetDocument fleet(int hostCount, double fill) {
        var hosts = new ArrayList<FleetHost>(hostCount);
        for (var i = 0; i < hostCount; i++) {
            hosts.add(host(i));
        }
        for (var family : DriverFamily.values()) {
            requests(family, fill * freeCapacity.getOrDefault(family, 0.0));
        }
        // Arrival order, not family by family: the solver and the baseline must not profit from the generator's order.
        Collections.shuffle(workloads, random);
        return new FleetDocument(hosts, workloads);
    }

    private FleetHost host(int index) {
        var rack = index / HOSTS_PER_RACK;
        var zone = ZONES.get(rack % ZONES.size());
        String model;
        List<DriverFamily> families;
        if (parentsPerHost == 0) {
            var hostModel = pick(List.of(HostModel.values()), HostModel::weight);
            model = hostModel.label();
            families = hostModel.parents();
        } else {
            var mixed = pick(List.of(MixedHostModel.values()), MixedHostModel::weight);
            model = mixed.label(parentsPerHost);
            families = mixed.parents(parentsPerHost);
        }
        var schedulable = random.nextDouble() >= UNSCHEDULABLE_SHARE;
        var labels = new LinkedHashMap<String, String>();
        labels.put("zone", zone);
        labels.put("rack", String.format("%s-r%03d", zone, rack));
        labels.put("model", model);
        var perFamily = new EnumMap<DriverFamily, Integer>(DriverFamily.class);
        var parents = new ArrayList<FleetParent>(families.size());
        for (var family : families) {
            var n = perFamily.merge(family, 1, Integer::sum) - 1;
            var devices = random.nextDouble() < PREFILLED_PARENT_SHARE ? prefill(family, zone) : List.<FleetDevice>of();
            if (schedulable) {
                freeCapacity.merge(family, 1.0 - usedShare(family, devices), Double::sum);
            }
            parents.add(new FleetParent(family.address(n), family.driver(), family.mixedTypes(), family.pools(),
                    family.fleetTypes(), devices));
        }
        return new FleetHost(String.format("host-%05d", index), labels, schedulable, parents);
    }

    /** Devices that exist already, filling the parent to a random share without breaking any pool or type rule. */
    private List<FleetDevice> prefill(DriverFamily family, String zone) {
        var target = PREFILL_MIN + random.nextDouble() * (PREFILL_MAX - PREFILL_MIN);
        var devices = new ArrayList<FleetDevice>();
        var onlyType = family.mixedTypes() ? null : pick(family.types(), DriverFamily.WeightedType::weight).type();
        var used = new HashMap<String, Long>();
        while (usedShare(family, devices) < target) {
            var type = onlyType != null ? onlyType : pick(family.types(), DriverFamily.WeightedType::weight).type();
            var instances = instances(type);
            if (!fits(family, used, type, instances)) {
                break;
            }
            type.cost().forEach((pool, cost) -> used.merge(pool, cost * instances, Long::sum));
            var owner = owner(type, instances, zone);
            devices.add(new FleetDevice(uuid(), type.id(), instances == 1 ? null : instances, owner));
        }
        return devices;
    }

    /**
     * Who owns an existing device: a listed workload (which then asks for exactly that device), an unlisted VM, or
     * nobody.
     */
    private String owner(FleetType type, int instances, String zone) {
        var roll = random.nextDouble();
        if (roll < LISTED_OWNER_SHARE) {
            var selector = random.nextDouble() < SELECTOR_SHARE ? Map.of("zone", zone) : Map.<String, String>of();
            var workload = new FleetWorkload(nextWorkloadId(), type.id(), instances == 1 ? null : instances, priority(),
                    null, selector);
            workloads.add(workload);
            return workload.id();
        }
        if (roll < LISTED_OWNER_SHARE + (1 - LISTED_OWNER_SHARE) * ANONYMOUS_SHARE) {
            return null;
        }
        return String.format("ext-%06d", externalCount++);
    }

    /** New workloads of the family until their shares add up to {@code demand} parent-equivalents. */
    private void requests(DriverFamily family, double demand) {
        var requested = 0.0;
        while (requested < demand) {
            var type = pick(family.types(), DriverFamily.WeightedType::weight).type();
            var instances = instances(type);
            var priority = priority();
            var selector = random.nextDouble() < SELECTOR_SHARE
                    ? Map.of("zone", ZONES.get(random.nextInt(ZONES.size())))
                    : Map.<String, String>of();
            var members = 1;
            String group = null;
            if (random.nextDouble() < GROUP_START) {
                members = MIN_GROUP + random.nextInt(MAX_GROUP - MIN_GROUP + 1);
                group = String.format("aa-%05d", groupCount++);
            }
            for (var m = 0; m < members; m++) {
                workloads.add(new FleetWorkload(nextWorkloadId(), type.id(), instances == 1 ? null : instances, priority,
                        group, selector));
            }
            requested += members * family.share(type, instances);
        }
    }

    private int instances(FleetType type) {
        return 1 + random.nextInt(type.effectiveMaxAggregation());
    }

    private int priority() {
        return 1 + random.nextInt(MAX_PRIORITY);
    }

    private String nextWorkloadId() {
        return String.format("vm-%06d", workloadCount++);
    }

    /** A version-4 UUID drawn from the seeded generator, never repeated within the fleet. */
    private String uuid() {
        while (true) {
            var most = (random.nextLong() & ~0xF000L) | 0x4000L;
            var least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
            var uuid = new UUID(most, least);
            if (uuids.add(uuid)) {
                return uuid.toString();
            }
        }
    }

    private static boolean fits(DriverFamily family, Map<String, Long> used, FleetType type, int instances) {
        for (var entry : type.cost().entrySet()) {
            var after = used.getOrDefault(entry.getKey(), 0L) + entry.getValue() * instances;
            if (after > family.pools().get(entry.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** The share of the parent its devices take: the fullest pool. */
    private static double usedShare(DriverFamily family, List<FleetDevice> devices) {
        var used = new HashMap<String, Long>();
        for (var device : devices) {
            var type = family.type(device.type());
            type.cost().forEach((pool, cost) -> used.merge(pool, cost * device.instancesOrOne(), Long::sum));
        }
        var share = 0.0;
        for (var entry : used.entrySet()) {
            share = Math.max(share, (double) entry.getValue() / family.pools().get(entry.getKey()));
        }
        return share;
    }

    private <T> T pick(List<T> choices, ToIntFunction<T> weight) {
        var total = choices.stream().mapToInt(weight).sum();
        var roll = random.nextInt(total);
        for (var choice : choices) {
            roll -= weight.applyAsInt(choice);
            if (roll < 0) {
                return choice;
            }
        }
        throw new IllegalStateException("Weights " + total + " did not cover roll " + roll
                + ". Maybe a weight is negative.");
    }
}
