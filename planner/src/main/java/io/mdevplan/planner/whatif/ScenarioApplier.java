package io.mdevplan.planner.whatif;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetProblem;
import io.mdevplan.planner.fleet.FleetValidator;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.fleet.SysfsNames;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.planner.whatif.PreparedScenario.Today;
import io.mdevplan.planner.whatif.ScenarioChange.AddHosts;
import io.mdevplan.planner.whatif.ScenarioChange.AddWorkloads;
import io.mdevplan.planner.whatif.ScenarioChange.DrainHosts;
import io.mdevplan.planner.whatif.ScenarioChange.RemoveHosts;
import io.mdevplan.planner.whatif.ScenarioChange.RemoveWorkloads;
import io.mdevplan.planner.whatif.ScenarioChange.SetPolicy;

/**
 * Checks a scenario against its base fleet and applies its changes in order, collecting every problem with its JSON
 * path before anything is planned. Host names are checked against the fleet as the earlier changes left it; profiles
 * against the types the resulting fleet offers.
 */
final class ScenarioApplier {

    /** Far beyond a fleet the planner solves in minutes; keeps a typo from asking for billions. */
    static final int MAX_ADDED_WORKLOADS = 1_000_000;
    static final int MAX_ADDED_HOSTS = 100_000;
    static final int MAX_PER_MONTH = 1_000_000;
    private static final int MAX_LISTED_CHOICES = 8;

    private final List<FleetProblem> problems = new ArrayList<>();
    private final Map<String, Policy> policies;
    /** The fleet's hosts as the changes so far left them, in fleet order; added hosts at the end. */
    private final Map<String, FleetHost> hosts = new LinkedHashMap<>();
    /** The workloads as the changes so far left them: the fleet's, then the added ones. */
    private final Map<String, FleetWorkload> workloads = new LinkedHashMap<>();
    /** Every host name ever in the fleet, so that copies never take a removed host's name. */
    private final Set<String> hostNamesSeen = new HashSet<>();
    /** Listed workloads whose device had to go (drained or removed host), with where it was today. */
    private final Map<String, Today> displaced = new HashMap<>();
    /** Hosts that lose devices (of removed workloads, or that must move); the others are kept as they are. */
    private final Set<String> losingDevices = new HashSet<>();
    private final Map<String, Integer> workloadAddedBy = new HashMap<>();
    private final Map<String, Integer> workloadRemovedBy = new HashMap<>();
    private final Map<String, Integer> hostRemovedBy = new HashMap<>();
    private final Map<String, Integer> hostDrainedBy = new HashMap<>();
    private final List<Today> removedDevices = new ArrayList<>();
    private final Map<String, List<Today>> factsOnHosts = new HashMap<>();
    private final List<WhatIfResult.ChangeEffect> effects = new ArrayList<>();
    /** Profiles to check against the resulting fleet, with their paths. */
    private final List<Map.Entry<String, WorkloadProfile>> profiles = new ArrayList<>();
    private FleetDocument base;
    private Policy policy;
    /**
     * Where each listed workload's device sits now; made for the first removeWorkloads, which needs it, and kept in
     * step from then on (null before: most scenarios never need it, and it costs a pass over every device).
     */
    private Map<String, Today> deviceOf;
    /** Owners of the base fleet's devices whose names look like added workloads' ids; made for the first addition. */
    private Set<String> ownersLikeNewIds;

    private ScenarioApplier(Collection<Policy> policies) {
        this.policies = new LinkedHashMap<>();
        policies.forEach(known -> this.policies.put(known.name(), known));
    }

    /**
     * The scenario applied to its base: the embedded fleet (validated here), or {@code live} when the base is "live",
     * which must be a valid fleet document already.
     */
    static PreparedScenario apply(ScenarioDocument scenario, String source, FleetDocument live,
            Collection<Policy> policies) {
        var applier = new ScenarioApplier(policies);
        var base = applier.base(scenario, live);
        applier.throwIfProblems(source);
        return applier.applyTo(scenario, base, source);
    }

    private FleetDocument base(ScenarioDocument scenario, FleetDocument live) {
        if (!scenario.base().isLive()) {
            if (live != null) {
                problem("$.base", null, "the scenario embeds its base fleet and a live fleet was given as well. Maybe "
                        + "set base to \"" + ScenarioBase.LIVE + "\", or leave the live fleet out (no --fleet).");
            }
            FleetValidator.validate(scenario.base().fleet()).forEach(problem -> problem("$.base"
                    + problem.path().substring(1), problem.value(), problem.message()));
            return scenario.base().fleet();
        }
        if (live == null) {
            problem("$.base", ScenarioBase.LIVE, "the scenario plans on the live fleet but none was given. Maybe give the"
                    + " fleet (--fleet F.json), or embed a fleet document as base.");
            return null;
        }
        // Trusted: the CLI read it with FleetJson.read, the service exports what it validated on import, and checking
        // 10,000 hosts again would cost each scenario a second.
        return live;
    }

    private PreparedScenario applyTo(ScenarioDocument scenario, FleetDocument baseFleet, String source) {
        base = baseFleet;
        for (var host : base.hosts()) {
            hosts.put(host.name(), host);
            hostNamesSeen.add(host.name());
        }
        for (var workload : base.workloads()) {
            workloads.put(workload.id(), workload);
        }
        policy = policy("$.policy", scenario.policy() == null ? PolicyCatalog.DEFAULT : scenario.policy());
        var mode = mode(scenario.mode());
        for (var c = 0; c < scenario.changes().size(); c++) {
            change(c, scenario.changes().get(c));
        }
        checkGrowth(scenario.growth());
        checkHeadroomProfiles(scenario.headroomProfiles());
        var fleet = new FleetDocument(resultingHosts(), List.copyOf(workloads.values()));
        checkProfiles(fleet);
        throwIfProblems(source);
        return new PreparedScenario(scenario.name(), policy, mode, base, fleet, effects, scenario.growth(),
                scenario.headroomProfiles(), new PreparedScenario.Origins(workloadAddedBy, workloadRemovedBy,
                        hostRemovedBy, hostDrainedBy, displaced, removedDevices, factsOnHosts));
    }

    private PlanningMode mode(String mode) {
        if (mode == null || mode.equals(ScenarioDocument.PLACE)) {
            return PlanningMode.PLACE;
        }
        if (mode.equals(ScenarioDocument.REPLAN)) {
            return PlanningMode.REPLAN;
        }
        problem("$.mode", mode, "unknown mode. Maybe use " + ScenarioDocument.PLACE + " (today's devices stay) or "
                + ScenarioDocument.REPLAN + " (devices of listed workloads may move).");
        return PlanningMode.PLACE;
    }

    private Policy policy(String path, String name) {
        var known = name == null ? null : policies.get(name);
        if (known == null) {
            problem(path, name, "unknown policy. Maybe use one of: " + String.join(", ", policies.keySet()) + ".");
        }
        return known;
    }

    private void change(int index, ScenarioChange change) {
        var path = "$.changes[" + index + "]";
        if (change == null) {
            problem(path, null, "a change is null. Maybe remove the stray comma or null.");
        } else if (change instanceof AddWorkloads add) {
            addWorkloads(index, path, add);
        } else if (change instanceof RemoveWorkloads remove) {
            removeWorkloads(index, path, remove);
        } else if (change instanceof AddHosts add) {
            addHosts(path, add);
        } else if (change instanceof RemoveHosts remove) {
            removeHosts(index, path, remove);
        } else if (change instanceof DrainHosts drain) {
            drainHosts(index, path, drain);
        } else if (change instanceof SetPolicy set) {
            var switched = policy(path + ".policy", set.policy());
            if (switched != null) {
                policy = switched;
                effect(change, "plans under " + switched.name(), 0, List.of());
            }
        }
    }

    private void addWorkloads(int index, String path, AddWorkloads add) {
        if (!checkCount(path + ".count", add.count(), MAX_ADDED_WORKLOADS, "workloads")) {
            return;
        }
        if (add.profile() == null) {
            problem(path + ".profile", null, "addWorkloads needs a profile. Maybe add {\"type\": \"...\", "
                    + "\"instances\": 1}.");
            return;
        }
        profiles.add(Map.entry(path + ".profile", add.profile()));
        var prefix = "new-" + index + "-";
        for (var n = 1; n <= add.count(); n++) {
            var id = prefix + n;
            if (workloads.containsKey(id) || workloadRemovedBy.containsKey(id) || ownersLikeNewIds().contains(id)) {
                problem(path, id, "the new workload's id is taken by a workload or device owner of the fleet. Maybe "
                        + "rename that workload.");
                return;
            }
            workloads.put(id, add.profile().toWorkload(id));
            workloadAddedBy.put(id, index);
        }
        effect(add, "added " + add.count() + " workloads of " + add.profile().label() + " (" + prefix + 1
                + (add.count() > 1 ? " to " + prefix + add.count() : "") + ")", add.count(), List.of());
    }

    private Set<String> ownersLikeNewIds() {
        if (ownersLikeNewIds == null) {
            ownersLikeNewIds = new HashSet<>();
            forEachDevice(base.hosts(), today -> {
                var owner = today.device().workload();
                if (owner != null && owner.startsWith("new-")) {
                    ownersLikeNewIds.add(owner);
                }
            });
        }
        return ownersLikeNewIds;
    }

    private void removeWorkloads(int index, String path, RemoveWorkloads remove) {
        var selector = remove.selector();
        if (selector == null || selector.isEmpty()) {
            problem(path + ".selector", null, "removeWorkloads needs a selector with at least one of: type, idPrefix, "
                    + "antiAffinityGroup, hostSelector, hostLabels. Maybe add {\"type\": \"...\"}.");
            return;
        }
        checkEntries(path + ".selector.hostSelector", selector.hostSelector());
        checkEntries(path + ".selector.hostLabels", selector.hostLabels());
        var devices = deviceOf();
        var removed = new ArrayList<String>();
        for (var workload : workloads.values()) {
            var today = devices.get(workload.id());
            if (selector.matches(workload, today == null ? null : hosts.get(today.host()))) {
                removed.add(workload.id());
            }
        }
        var withDevice = 0;
        for (var id : removed) {
            workloads.remove(id);
            workloadRemovedBy.put(id, index);
            var sitting = devices.remove(id);
            if (sitting != null) {
                losingDevices.add(sitting.host());
            }
            var today = sitting != null ? sitting : displaced.remove(id);
            if (today != null) {
                removedDevices.add(today);
                withDevice++;
            }
        }
        effect(remove, "removed " + removed.size() + (removed.size() == 1 ? " workload" : " workloads") + " ("
                + withDevice + " with a device today)", removed.size(), List.of());
    }

    /** Where each listed workload's device sits now; see {@link #deviceOf}. */
    private Map<String, Today> deviceOf() {
        if (deviceOf == null) {
            deviceOf = new HashMap<>();
            forEachDevice(hosts.values(), today -> {
                if (sitsThere(today.device())) {
                    deviceOf.put(today.device().workload(), today);
                }
            });
        }
        return deviceOf;
    }

    private void addHosts(String path, AddHosts add) {
        var counted = checkCount(path + ".count", add.count(), MAX_ADDED_HOSTS, "hosts");
        var model = add.model() == null ? null : hosts.get(add.model());
        if (model == null) {
            problem(path + ".model", add.model(), missingHost(add.model(), "model"));
        }
        checkEntries(path + ".labels", add.labels());
        if (!counted || model == null) {
            return;
        }
        var labels = new LinkedHashMap<>(model.labels());
        labels.putAll(add.labels());
        var parents = model.parents().stream().map(parent -> new FleetParent(parent.address(), parent.driver(),
                parent.mixedTypes(), parent.pools(), parent.types(), List.of())).toList();
        var names = new ArrayList<String>();
        var n = 0;
        while (names.size() < add.count()) {
            var name = model.name() + "-new-" + ++n;
            var unsafe = SysfsNames.whyUnsafe(name);
            if (unsafe.isPresent()) {
                problem(path + ".model", model.name(), "the copies' name " + name + " " + unsafe.get()
                        + ". Maybe copy a host with a shorter name.");
                return;
            }
            if (hostNamesSeen.add(name)) {
                hosts.put(name, new FleetHost(name, labels, true, parents));
                names.add(name);
            }
        }
        effect(add, "added " + names.size() + (names.size() == 1 ? " copy" : " copies") + " of " + model.name() + " ("
                + names.get(0) + (names.size() > 1 ? " to " + names.get(names.size() - 1) : "") + ")", 0, names);
    }

    private void removeHosts(int index, String path, RemoveHosts remove) {
        var named = checkHosts(path, remove.hosts());
        var homeless = 0;
        var devices = 0;
        for (var name : named) {
            var host = hosts.remove(name);
            var facts = !factsOnHosts.containsKey(name);
            var onHost = new ArrayList<Today>();
            forEachDevice(List.of(host), onHost::add);
            for (var today : onHost) {
                devices++;
                if (sitsThere(today.device())) {
                    displace(today);
                    homeless++;
                } else if (facts) {
                    fact(today);
                }
            }
            factsOnHosts.putIfAbsent(name, new ArrayList<>());
            hostRemovedBy.put(name, index);
        }
        if (!named.isEmpty()) {
            effect(remove, "removed " + hosts(named) + " with " + devices + " devices; " + homeless
                    + (homeless == 1 ? " workload needs" : " workloads need") + " a new home", homeless, named);
        }
    }

    private void drainHosts(int index, String path, DrainHosts drain) {
        var named = checkHosts(path, drain.hosts());
        var moving = 0;
        var staying = 0;
        for (var name : named) {
            var host = hosts.get(name);
            hosts.put(name, new FleetHost(host.name(), host.labels(), false, host.parents()));
            var facts = !factsOnHosts.containsKey(name);
            var onHost = new ArrayList<Today>();
            forEachDevice(List.of(host), onHost::add);
            for (var today : onHost) {
                if (sitsThere(today.device())) {
                    displace(today);
                    moving++;
                } else if (facts && fact(today)) {
                    staying++;
                }
            }
            factsOnHosts.putIfAbsent(name, new ArrayList<>());
            hostDrainedBy.putIfAbsent(name, index);
            losingDevices.add(name);
        }
        if (!named.isEmpty()) {
            effect(drain, "drained " + hosts(named) + ": " + moving + (moving == 1 ? " workload moves" : " workloads move")
                    + (staying == 0 ? "" : ", " + staying + (staying == 1 ? " device" : " devices")
                            + " that no listed workload owns " + (staying == 1 ? "stays" : "stay")), moving, named);
        }
    }

    /** Whether the device is where a listed workload's device sits now: its owner is listed and was not moved off. */
    private boolean sitsThere(FleetDevice device) {
        var owner = device.workload();
        return owner != null && workloads.containsKey(owner) && !displaced.containsKey(owner);
    }

    /** Whether the base fleet lists the workload (it may have been removed since); added workloads are not. */
    private boolean listedInBase(String id) {
        return id != null && !workloadAddedBy.containsKey(id)
                && (workloads.containsKey(id) || workloadRemovedBy.containsKey(id));
    }

    /** The listed workload's device must go: it is placed anew, and the plan says where it was. */
    private void displace(Today today) {
        var owner = today.device().workload();
        displaced.put(owner, today);
        if (deviceOf != null) {
            deviceOf.remove(owner);
        }
    }

    /** Records a device no listed workload of the base fleet owns; false for a removed workload's device. */
    private boolean fact(Today today) {
        if (listedInBase(today.device().workload())) {
            return false;
        }
        factsOnHosts.computeIfAbsent(today.host(), host -> new ArrayList<>()).add(today);
        return true;
    }

    private static void forEachDevice(Collection<FleetHost> on, Consumer<Today> action) {
        for (var host : on) {
            for (var parent : host.parents()) {
                for (var device : parent.devices()) {
                    action.accept(new Today(host.name(), parent.address(), device));
                }
            }
        }
    }

    /** The named hosts, each present now and named once; a problem for each that is not. */
    private List<String> checkHosts(String path, List<String> names) {
        if (names.isEmpty()) {
            problem(path + ".hosts", null, "the change names no host. Maybe list at least one, e.g. [\""
                    + (hosts.isEmpty() ? "node-01" : hosts.keySet().iterator().next()) + "\"].");
        }
        var valid = new ArrayList<String>();
        var seen = new HashSet<String>();
        for (var h = 0; h < names.size(); h++) {
            var name = names.get(h);
            var hostPath = path + ".hosts[" + h + "]";
            if (name == null || !hosts.containsKey(name)) {
                problem(hostPath, name, missingHost(name, "host"));
            } else if (!seen.add(name)) {
                problem(hostPath, name, "the host is named twice in this change. Maybe name it once.");
            } else {
                valid.add(name);
            }
        }
        return valid;
    }

    private String missingHost(String name, String what) {
        if (name == null) {
            return "a " + what + " must name a host of the fleet. Maybe use one of: " + choices(hosts.keySet()) + ".";
        }
        var removedBy = hostRemovedBy.get(name);
        if (removedBy != null) {
            return "host " + name + " was removed by change " + removedBy + " ($.changes[" + removedBy + "]). Maybe "
                    + "reorder the changes, or name another " + what + ".";
        }
        return "no host " + name + " in the fleet. Maybe use one of: " + choices(hosts.keySet()) + ".";
    }

    private boolean checkCount(String path, Integer count, int max, String what) {
        if (count == null || count < 1 || count > max) {
            problem(path, String.valueOf(count), "the change adds 1 to " + max + " " + what + ". Maybe use "
                    + (count != null && count > max ? max : 1) + ", or remove the change.");
            return false;
        }
        return true;
    }

    private void checkGrowth(List<Growth> growth) {
        for (var g = 0; g < growth.size(); g++) {
            var path = "$.growth[" + g + "]";
            var rate = growth.get(g);
            if (rate == null) {
                problem(path, null, "a growth is null. Maybe remove the stray comma or null.");
                continue;
            }
            if (rate.perMonth() == null || rate.perMonth() < 0 || rate.perMonth() > MAX_PER_MONTH) {
                problem(path + ".perMonth", String.valueOf(rate.perMonth()), "workloads per month must be between 0 and "
                        + MAX_PER_MONTH + ". Maybe use 0 for a profile that does not grow.");
            }
            if (rate.profile() == null) {
                problem(path + ".profile", null, "a growth needs a profile. Maybe add {\"type\": \"...\", "
                        + "\"instances\": 1}.");
                continue;
            }
            if (rate.profile().priority() != null) {
                problem(path + ".profile.priority", String.valueOf(rate.profile().priority()), "grown workloads are "
                        + "placed one at a time as they arrive, so priority does not apply. Maybe remove it.");
            }
            profiles.add(Map.entry(path + ".profile", rate.profile()));
        }
    }

    private void checkHeadroomProfiles(List<WorkloadProfile> headroomProfiles) {
        for (var p = 0; p < headroomProfiles.size(); p++) {
            var path = "$.headroomProfiles[" + p + "]";
            var profile = headroomProfiles.get(p);
            if (profile == null) {
                problem(path, null, "a headroom profile is null. Maybe remove the stray comma or null.");
                continue;
            }
            if (profile.priority() != null) {
                problem(path + ".priority", String.valueOf(profile.priority()), "headroom counts devices that fit, "
                        + "whatever their priority. Maybe remove it.");
            }
            if (profile.antiAffinityGroup() != null) {
                problem(path + ".antiAffinityGroup", profile.antiAffinityGroup(), "headroom counts devices of one shape "
                        + "that fit, not hosts. Maybe remove it, or model the group as growth.");
            }
            profiles.add(Map.entry(path, profile));
        }
    }

    /** Every profile against the resulting fleet: a type some parent offers, instances it aggregates, sound fields. */
    private void checkProfiles(FleetDocument fleet) {
        var maxAggregation = new HashMap<String, Integer>();
        for (var host : fleet.hosts()) {
            for (var parent : host.parents()) {
                parent.types().forEach(type -> maxAggregation.merge(type.id(), type.effectiveMaxAggregation(), Math::max));
            }
        }
        for (var entry : profiles) {
            var path = entry.getKey();
            var profile = entry.getValue();
            if (profile.type() == null) {
                problem(path + ".type", null, "a profile needs a type. Maybe add \"type\": one of "
                        + choices(new TreeSet<>(maxAggregation.keySet())) + ".");
                continue;
            }
            var max = maxAggregation.get(profile.type());
            if (max == null) {
                problem(path + ".type", profile.type(), "no parent of the resulting fleet offers this type. Maybe use one"
                        + " of: " + choices(new TreeSet<>(maxAggregation.keySet())) + ".");
            }
            var instances = profile.instancesOrOne();
            if (instances < 1) {
                problem(path + ".instances", String.valueOf(instances),
                        "a workload needs at least 1 instance. Maybe use 1.");
            } else if (max != null && instances > max) {
                problem(path + ".instances", String.valueOf(instances), "no parent of the resulting fleet aggregates more "
                        + "than " + max + " instances of " + profile.type() + " into one device. Maybe use at most " + max
                        + ".");
            }
            var priority = profile.priorityOrDefault();
            if (priority < 0 || priority > FleetValidator.MAX_PRIORITY) {
                problem(path + ".priority", String.valueOf(priority), "priority must be between 0 and "
                        + FleetValidator.MAX_PRIORITY + ". Maybe leave it out for the default, 1.");
            }
            if (profile.antiAffinityGroup() != null) {
                SysfsNames.whyUnsafe(profile.antiAffinityGroup()).ifPresent(reason -> problem(path
                        + ".antiAffinityGroup", profile.antiAffinityGroup(), "the anti-affinity group " + reason
                        + ". Maybe use letters, digits, '-', '_', '.' and ':' only."));
            }
            checkEntries(path + ".hostSelector", profile.hostSelector());
        }
    }

    private void checkEntries(String path, Map<String, String> entries) {
        entries.forEach((key, value) -> {
            if (key.isBlank() || value == null) {
                problem(path, key, "an entry needs a non-blank key and a value. Maybe {\"zone\": \"a\"}.");
            }
        });
    }

    /**
     * The hosts left, drained ones unschedulable; a device stays unless its workload was removed or must move. Devices
     * no listed workload owns stay, drained host or not: they are facts.
     */
    private List<FleetHost> resultingHosts() {
        var result = new ArrayList<FleetHost>(hosts.size());
        for (var host : hosts.values()) {
            if (!losingDevices.contains(host.name())) {
                result.add(host);
                continue;
            }
            var parents = new ArrayList<FleetParent>(host.parents().size());
            for (var parent : host.parents()) {
                var kept = new ArrayList<FleetDevice>(parent.devices().size());
                for (var device : parent.devices()) {
                    var owner = device.workload();
                    var gone = listedInBase(owner) && (!workloads.containsKey(owner) || displaced.containsKey(owner));
                    if (!gone) {
                        kept.add(device);
                    }
                }
                parents.add(kept.size() == parent.devices().size() ? parent : new FleetParent(parent.address(),
                        parent.driver(), parent.mixedTypes(), parent.pools(), parent.types(), kept));
            }
            result.add(new FleetHost(host.name(), host.labels(), host.schedulable(), parents));
        }
        return result;
    }

    private void effect(ScenarioChange change, String summary, int workloadCount, List<String> hostNames) {
        effects.add(new WhatIfResult.ChangeEffect(ScenarioChange.op(change), summary, workloadCount,
                List.copyOf(hostNames)));
    }

    private static String hosts(List<String> names) {
        return names.size() == 1 ? "host " + names.get(0) : names.size() + " hosts";
    }

    private void problem(String path, String value, String message) {
        problems.add(new FleetProblem(path, value, message));
    }

    private void throwIfProblems(String source) {
        if (!problems.isEmpty()) {
            throw new InvalidScenarioException(source, problems);
        }
    }

    private static String choices(Collection<String> values) {
        if (values.isEmpty()) {
            return "(none)";
        }
        var listed = values.stream().limit(MAX_LISTED_CHOICES).toList();
        return String.join(", ", listed) + (values.size() > listed.size() ? ", ..." : "");
    }
}
