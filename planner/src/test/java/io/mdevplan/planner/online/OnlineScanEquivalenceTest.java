package io.mdevplan.planner.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import io.mdevplan.planner.bench.FleetGenerator;
import io.mdevplan.planner.bench.RequestMix;
import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.explain.UnplacedExplainer;
import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.placement.CandidateIndex;
import io.mdevplan.planner.placement.GreedyPlacer;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.policy.PolicyCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link FleetIndex#decide} scans flat arrays ({@link io.mdevplan.planner.placement.ScanPlacer}); its definition is
 * {@link GreedyPlacer#choose} over the shape's candidates, with {@link UnplacedExplainer} wording a refusal. On generated
 * fleets, thousands of requests of the benchmark's mix (selectors, anti-affinity groups, parents that do and do not mix
 * types) under every policy, interleaved with bookings, releases and host resets, must get the same answer from both,
 * refusal text included, and the books must equal books rebuilt from the bookings.
 */
class OnlineScanEquivalenceTest {

    private static final List<Policy> POLICIES = List.copyOf(PolicyCatalog.all());
    private static final int LEDGER_CHECK_EVERY = 250;
    /** Port counts of the tiny fleets' parents: roomy, room for two agg-4 instances, room for none. */
    private static final List<Long> PORTS = List.of(24L, 6L, 2L);

    @ParameterizedTest(name = "{0} hosts x {1} parents, seed {2}")
    @CsvSource({"40, 8, 1", "60, 0, 2", "25, 16, 3"})
    void theScanDecidesAsTheGreedyPlacerOnTheSameBooks(int hostCount, int parentsPerHost, long seed) {
        // 0 parents per host: each host model's own count.
        var fleet = parentsPerHost == 0 ? FleetGenerator.generate(hostCount, seed, 0.5)
                : FleetGenerator.generate(hostCount, seed, 0.5, parentsPerHost);
        var mix = RequestMix.of(fleet, seed, "eq-");
        var run = new Run(fleet, seed, random -> odd(mix.next(), random));
        run.steps(5_000);

        assertThat(run.placed).as("placed decisions").isGreaterThan(500);
        assertThat(run.refused).as("refused decisions").isGreaterThan(50);
        assertThat(run.released).as("releases").isGreaterThan(100);
        assertThat(run.resets).as("host resets").isGreaterThan(100);
        assertThat(run.displaced).as("workloads a reset took from another host").isPositive();
        assertThat(run.reasons).as("refusal reasons met").contains("capacity", "mixed types", "anti-affinity",
                "selector", "not offered");
    }

    /**
     * Tiny fleets of parents alike and unlike (small kinds where a large device, or even one agg-4 instance, fits no
     * empty parent), few hosts and few anti-affinity groups, so that rare cases come often: empty parents on hosts
     * running the group, a refused empty parent with as much room as a busy one.
     */
    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"11", "12", "13", "14"})
    void theScanDecidesAsTheGreedyPlacerOnTinyFleets(long seed) {
        var random = new Random(seed);
        var hosts = new ArrayList<FleetHost>();
        for (var h = 0; h < 4 + random.nextInt(6); h++) {
            var parents = new ArrayList<FleetParent>();
            for (var p = 0; p < 1 + random.nextInt(3); p++) {
                parents.add(serial("p" + p, random.nextInt(4) > 0, PORTS.get(random.nextInt(PORTS.size()))));
            }
            hosts.add(new FleetHost(String.format("node-%02d", h), Map.of("zone", random.nextBoolean() ? "a" : "b"),
                    random.nextInt(8) > 0, parents));
        }
        var types = List.of("mtty-1", "mtty-2", "agg-4");
        var groups = Arrays.asList(null, "g1", "g2", "g3");
        var selectors = List.of(Map.<String, String>of(), Map.of("zone", "a"), Map.of("zone", "b"));
        var count = new int[1];
        var run = new Run(new FleetDocument(hosts, List.of()), seed, next -> {
            var type = types.get(next.nextInt(types.size()));
            return new PlacementRequest("t-" + ++count[0], type, type.equals("agg-4") ? 1 + next.nextInt(4) : 1, 1,
                    groups.get(next.nextInt(groups.size())), selectors.get(next.nextInt(selectors.size())));
        });
        run.steps(3_000);

        assertThat(run.placed).as("placed decisions").isGreaterThan(200);
        assertThat(run.refused).as("refused decisions").isGreaterThan(200);
        assertThat(run.reasons).as("refusal reasons met").contains("capacity", "mixed types", "anti-affinity",
                "selector");
    }

    /** An mtty-like parent with {@code ports} ports: mtty-1 costs 1, mtty-2 2, agg-4 3 per instance, up to 4. */
    private static FleetParent serial(String address, boolean mixedTypes, long ports) {
        return new FleetParent(address, "mtty", mixedTypes, Map.of("ports", ports), List.of(
                new FleetType("mtty-1", null, "vfio-pci", Map.of("ports", 1L), Aggregation.NONE, null),
                new FleetType("mtty-2", null, "vfio-pci", Map.of("ports", 2L), Aggregation.NONE, null),
                new FleetType("agg-4", null, "vfio-pci", Map.of("ports", 3L), Aggregation.ATTRIBUTE, 4)), List.of());
    }

    /** The benchmark's mix, with now and then a type nobody offers or a selector no host matches. */
    private static PlacementRequest odd(PlacementRequest request, Random random) {
        var odd = random.nextInt(100);
        if (odd == 0) {
            return new PlacementRequest(request.workload(), "no-such-type", 1, 1, null, Map.of());
        }
        if (odd == 1) {
            return new PlacementRequest(request.workload(), request.type(), request.instances(), request.priority(),
                    request.antiAffinityGroup(), Map.of("zone", "nowhere"));
        }
        return request;
    }

    /** One fleet's index, the reference path on its books, and the operations that change them. */
    private static final class Run {

        private final Random random;
        private final FleetIndex index;
        private final Function<Random, PlacementRequest> requests;
        private final CandidateIndex candidates;
        private final Map<String, FleetHost> hostsByName = new HashMap<>();
        private final List<String> hostNames = new ArrayList<>();
        private final Set<String> groups = new HashSet<>();
        private final Set<String> reasons = new HashSet<>();
        private int placed;
        private int refused;
        private int released;
        private int resets;
        private int displaced;
        private int decisions;

        Run(FleetDocument fleet, long seed, Function<Random, PlacementRequest> requests) {
            this.random = new Random(seed);
            // The generated workloads own some existing devices: their groups and selectors come into the books.
            this.index = FleetIndex.of(fleet);
            this.requests = requests;
            this.candidates = new CandidateIndex(index.ledger().parents());
            for (var host : fleet.hosts()) {
                hostsByName.put(host.name(), host);
                hostNames.add(host.name());
            }
            fleet.workloads().stream().map(FleetWorkload::antiAffinityGroup).filter(Objects::nonNull)
                    .forEach(groups::add);
        }

        void steps(int count) {
            for (var step = 1; step <= count; step++) {
                var dice = random.nextInt(100);
                if (dice < 72) {
                    decideAndMaybeBook();
                } else if (dice < 80) {
                    bookAnywhereAccepted();
                } else if (dice < 92) {
                    releaseOne();
                } else {
                    resetOneHost();
                }
                if (step % LEDGER_CHECK_EVERY == 0) {
                    assertBooksMatchTheBookings();
                }
            }
            assertBooksMatchTheBookings();
        }

        void decideAndMaybeBook() {
            var request = request();
            var policy = POLICIES.get(decisions++ % POLICIES.size());
            var decision = index.decide(request, policy);
            assertThat(decision).as("request %s under %s", request, policy.name()).isEqualTo(reference(request, policy));
            if (decision instanceof PlacementDecision.Placed chosen) {
                placed++;
                if (random.nextInt(10) > 0) {
                    index.book(request, chosen.host(), chosen.parent());
                }
            } else if (decision instanceof PlacementDecision.Refused refusal) {
                refused++;
                note(refusal.reason());
            }
        }

        /** Books a request where the rules allow but no policy would put it, so that the books look unlike any run. */
        void bookAnywhereAccepted() {
            var request = requests.apply(random);
            noteGroup(request);
            var parents = index.ledger().parents();
            for (var attempt = 0; attempt < 20; attempt++) {
                var parent = parents.get(random.nextInt(parents.size()));
                if (index.whyNot(request, parent.getHost().getName(), parent.getAddress()).isEmpty()) {
                    index.book(request, parent.getHost().getName(), parent.getAddress());
                    return;
                }
            }
        }

        void releaseOne() {
            var bookings = index.bookings();
            if (bookings.isEmpty()) {
                return;
            }
            var booking = bookings.get(random.nextInt(bookings.size()));
            var key = booking.getWorkload() == null ? booking.getId() : booking.getWorkload().id();
            var released = random.nextBoolean() ? index.release(key)
                    : index.release(key, booking.getParent().getHost().getName());
            assertThat(released).as("release of %s", key).isTrue();
            this.released++;
        }

        /**
         * Resets a host to what "the database" says: most of its bookings, a few gone, and now and then a workload
         * that was booked on another host.
         */
        void resetOneHost() {
            var name = hostNames.get(random.nextInt(hostNames.size()));
            var host = hostsByName.get(name);
            var bookings = index.bookings();
            var devicesByParent = new HashMap<String, List<FleetDevice>>();
            var owners = new ArrayList<FleetWorkload>();
            for (var booking : bookings) {
                var parent = booking.getParent();
                if (parent.getHost().getName().equals(name) && random.nextInt(4) > 0) {
                    addDevice(devicesByParent, owners, parent.getAddress(), booking);
                }
            }
            var moved = bookings.stream().filter(booking -> booking.getWorkload() != null
                    && !booking.getParent().getHost().getName().equals(name)).toList();
            if (!moved.isEmpty() && random.nextInt(3) == 0) {
                var booking = moved.get(random.nextInt(moved.size()));
                host.parents().stream().filter(parent -> parent.types().stream()
                        .anyMatch(type -> type.id().equals(booking.getTypeId()))).findFirst()
                        .ifPresent(parent -> addDevice(devicesByParent, owners, parent.address(), booking));
            }
            var parents = host.parents().stream().map(parent -> new FleetParent(parent.address(), parent.driver(),
                    parent.mixedTypes(), parent.pools(), parent.types(),
                    devicesByParent.getOrDefault(parent.address(), List.of()))).toList();
            var others = index.resetHost(new FleetHost(name, host.labels(), host.schedulable(), parents), owners);
            resets++;
            displaced += others.size();
        }

        private void addDevice(Map<String, List<FleetDevice>> devicesByParent, List<FleetWorkload> owners,
                String address, DeviceAllocation booking) {
            var workload = booking.getWorkload();
            var uuid = booking.getExistingUuid() != null ? booking.getExistingUuid()
                    : new UUID(random.nextLong(), random.nextLong()).toString();
            devicesByParent.computeIfAbsent(address, unused -> new ArrayList<>()).add(new FleetDevice(uuid,
                    booking.getTypeId(), booking.getInstances(), workload == null ? null : workload.id()));
            if (workload != null) {
                owners.add(new FleetWorkload(workload.id(), workload.typeId(), workload.instances(), workload.priority(),
                        workload.antiAffinityGroup(), workload.hostSelector()));
            }
        }

        private PlacementRequest request() {
            var request = requests.apply(random);
            noteGroup(request);
            return request;
        }

        /** What FleetIndex.decide answered before the scan: GreedyPlacer over the shape's candidates, then the explainer. */
        private PlacementDecision reference(PlacementRequest request, Policy policy) {
            var ledger = index.ledger();
            var workload = request.toWorkload();
            var probe = new DeviceAllocation(request.workload(), workload, request.type(), request.instances(), null, null,
                    false, candidates.forWorkload(workload));
            var parent = new GreedyPlacer(ledger, policy).choose(probe);
            if (parent == null) {
                return new PlacementDecision.Refused(new UnplacedExplainer(ledger).explain(probe));
            }
            return new PlacementDecision.Placed(parent.getHost().getName(), parent.getAddress());
        }

        private void noteGroup(PlacementRequest request) {
            if (request.antiAffinityGroup() != null) {
                groups.add(request.antiAffinityGroup());
            }
        }

        private void note(String reason) {
            if (reason.contains("without enough free capacity")) {
                reasons.add("capacity");
            }
            if (reason.contains("holding another type and not mixing types")) {
                reasons.add("mixed types");
            }
            if (reason.contains("already running group")) {
                reasons.add("anti-affinity");
            }
            if (reason.contains("the selector does not match")) {
                reasons.add("selector");
            }
            if (reason.startsWith("no parent in the fleet offers")) {
                reasons.add("not offered");
            }
        }

        /** The books kept in step by bookings, releases and resets equal books built afresh from what is booked. */
        void assertBooksMatchTheBookings() {
            var kept = index.ledger();
            var parents = kept.parents();
            var hosts = parents.stream().map(Parent::getHost).distinct().toList();
            var hostCount = hosts.stream().mapToInt(host -> host.getIndex()).max().orElse(-1) + 1;
            var bookings = index.bookings();
            assertThat(bookings).as("every booking's parent is in the index")
                    .allMatch(booking -> parents.get(booking.getParent().getIndex()) == booking.getParent());
            var fresh = UsageLedger.of(parents, hostCount, bookings);
            var typeIds = new HashSet<String>();
            parents.forEach(parent -> typeIds.addAll(parent.getTypes().keySet()));
            typeIds.add("no-such-type");
            var differences = new ArrayList<String>();
            for (var parent : parents) {
                differ(differences, "devices on " + parent, kept.devices(parent), fresh.devices(parent));
                differ(differences, "types on " + parent, kept.distinctTypes(parent), fresh.distinctTypes(parent));
                for (var pool : parent.getPools()) {
                    differ(differences, "use of " + pool, kept.used(parent, pool.getIndex()),
                            fresh.used(parent, pool.getIndex()));
                }
                for (var typeId : typeIds) {
                    differ(differences, parent + " holds " + typeId, kept.holdsType(parent, typeId),
                            fresh.holdsType(parent, typeId));
                    differ(differences, parent + " holds other than " + typeId, kept.holdsOtherType(parent, typeId),
                            fresh.holdsOtherType(parent, typeId));
                }
            }
            for (var host : hosts) {
                differ(differences, "devices on " + host, kept.devices(host), fresh.devices(host));
                for (var group : groups) {
                    differ(differences, "group " + group + " on " + host, kept.groupDevices(group, host),
                            fresh.groupDevices(group, host));
                }
            }
            assertThat(differences).as("books kept in step against books rebuilt").isEmpty();
        }

        private static void differ(List<String> differences, String what, Object kept, Object fresh) {
            if (!kept.equals(fresh)) {
                differences.add(what + ": " + kept + " kept, " + fresh + " rebuilt");
            }
        }
    }
}
