package io.mdevplan.planner.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Checks a fleet document against the contract before anything plans on it, collecting every problem with its JSON
 * path, the bad value and the fix. A document that passes can be planned on without surprises: every workload's type
 * exists somewhere, no existing device breaks a hard rule, and all names are safe sysfs path components.
 */
public final class FleetValidator {

    /** Far above any real device, low enough that instances x cost x devices cannot overflow a long. */
    static final int MAX_INSTANCES = 1_000_000;
    static final long MAX_POOL = 1L << 40;
    public static final int MAX_PRIORITY = 1_000_000;
    private static final int MAX_LISTED_CHOICES = 8;

    private final List<FleetProblem> problems = new ArrayList<>();
    /** Per type id, the largest aggregation any parent offers. */
    private final Map<String, Integer> maxAggregationByType = new HashMap<>();
    /** Device uuid (lower case) to the owning workload's id, type and instances, for cross-checks. */
    private final Map<String, FleetDevice> ownedDeviceByWorkload = new HashMap<>();

    private FleetValidator() {
    }

    public static List<FleetProblem> validate(FleetDocument document) {
        var validator = new FleetValidator();
        validator.check(document);
        return List.copyOf(validator.problems);
    }

    public static void validateOrThrow(FleetDocument document, String source) {
        var problems = validate(document);
        if (!problems.isEmpty()) {
            throw new InvalidFleetException(source, problems);
        }
    }

    private void check(FleetDocument document) {
        var hostNames = new HashSet<String>();
        var uuids = new HashSet<String>();
        for (var h = 0; h < document.hosts().size(); h++) {
            var host = document.hosts().get(h);
            var path = "$.hosts[" + h + "]";
            if (host == null) {
                problem(path, null, "a host is null. Maybe remove the stray comma or null.");
                continue;
            }
            if (checkName(path + ".name", host.name(), "host name") && !hostNames.add(host.name())) {
                problem(path + ".name", host.name(), "duplicate host name. Maybe rename one of the hosts.");
            }
            host.labels().forEach((key, value) -> {
                if (key.isBlank() || value == null) {
                    problem(path + ".labels", key, "a label needs a non-blank key and a value.");
                }
            });
            checkParents(host, path, uuids);
        }
        checkWorkloads(document);
    }

    private void checkParents(FleetHost host, String hostPath, Set<String> uuids) {
        var addresses = new HashSet<String>();
        for (var p = 0; p < host.parents().size(); p++) {
            var parent = host.parents().get(p);
            var path = hostPath + ".parents[" + p + "]";
            if (parent == null) {
                problem(path, null, "a parent is null. Maybe remove the stray comma or null.");
                continue;
            }
            if (checkName(path + ".address", parent.address(), "parent address") && !addresses.add(parent.address())) {
                problem(path + ".address", parent.address(),
                        "duplicate parent address on host " + host.name() + ". Maybe list each parent once.");
            }
            if (parent.pools().isEmpty()) {
                problem(path + ".pools", null, "a parent needs at least one pool. Maybe add e.g. {\"instances\": 4} "
                        + "or infer pools from available_instances (docs/capacity-inference.md).");
            }
            parent.pools().forEach((name, capacity) -> {
                checkName(path + ".pools", name, "pool name");
                if (capacity == null || capacity <= 0 || capacity > MAX_POOL) {
                    problem(path + ".pools." + name, String.valueOf(capacity),
                            "a pool's capacity must be between 1 and " + MAX_POOL + ". Maybe remove the pool if it is empty.");
                }
            });
            var typesById = checkTypes(parent, path);
            checkDevices(parent, path, typesById, uuids);
        }
    }

    private Map<String, FleetType> checkTypes(FleetParent parent, String parentPath) {
        var typesById = new HashMap<String, FleetType>();
        if (parent.types().isEmpty()) {
            problem(parentPath + ".types", null, "a parent needs at least one type. Maybe remove the parent.");
        }
        for (var t = 0; t < parent.types().size(); t++) {
            var type = parent.types().get(t);
            var path = parentPath + ".types[" + t + "]";
            if (type == null) {
                problem(path, null, "a type is null. Maybe remove the stray comma or null.");
                continue;
            }
            if (checkName(path + ".id", type.id(), "type id") && typesById.putIfAbsent(type.id(), type) != null) {
                problem(path + ".id", type.id(), "duplicate type id on parent " + parent.address() + ". Maybe list each type once.");
            }
            var positive = false;
            for (var entry : type.cost().entrySet()) {
                var pool = entry.getKey();
                var cost = entry.getValue();
                if (!parent.pools().containsKey(pool)) {
                    problem(path + ".cost." + pool, pool, "cost on a pool the parent lacks. Maybe use one of: "
                            + choices(parent.pools().keySet()) + ", or add the pool to the parent.");
                } else if (cost == null || cost < 0 || cost > MAX_POOL) {
                    problem(path + ".cost." + pool, String.valueOf(cost),
                            "a cost must be between 0 and " + MAX_POOL + ".");
                } else if (cost > 0) {
                    positive = true;
                }
            }
            if (!positive) {
                problem(path + ".cost", type.cost().toString(), "a type must cost something of at least one pool, "
                        + "or its capacity would be unlimited. Maybe add e.g. {\"" + firstOr(parent.pools().keySet(), "instances")
                        + "\": 1}.");
            }
            checkAggregation(type, path);
            if (type.availableInstances() != null && type.availableInstances() < 0) {
                problem(path + ".availableInstances", String.valueOf(type.availableInstances()), "sysfs never shows"
                        + " fewer than 0 available instances. Maybe leave availableInstances out: it is an"
                        + " observation, not an input.");
            }
            if (type.id() != null) {
                maxAggregationByType.merge(type.id(), type.effectiveMaxAggregation(), Math::max);
            }
        }
        return typesById;
    }

    private void checkAggregation(FleetType type, String path) {
        var aggregation = type.aggregationOrNone();
        var max = type.maxAggregation();
        if (aggregation == Aggregation.NONE) {
            if (max != null && max != 1) {
                problem(path + ".maxAggregation", String.valueOf(max), "a type with aggregation \"none\" holds one instance "
                        + "per device. Maybe set aggregation to \"attribute\" or \"create-param\", or maxAggregation to 1.");
            }
        } else if (max == null || max < 1 || max > MAX_INSTANCES) {
            problem(path + ".maxAggregation", String.valueOf(max), "an aggregating type needs maxAggregation between 1 and "
                    + MAX_INSTANCES + ". Maybe read it from the type's aggregation file.");
        }
    }

    private void checkDevices(FleetParent parent, String parentPath, Map<String, FleetType> typesById, Set<String> uuids) {
        var used = new HashMap<String, Long>();
        var deviceTypes = new TreeSet<String>();
        for (var d = 0; d < parent.devices().size(); d++) {
            var device = parent.devices().get(d);
            var path = parentPath + ".devices[" + d + "]";
            if (device == null) {
                problem(path, null, "a device is null. Maybe remove the stray comma or null.");
                continue;
            }
            if (!SysfsNames.isUuid(device.uuid())) {
                problem(path + ".uuid", device.uuid(), "not a UUID. Maybe write it as 8-4-4-4-12 hexadecimal digits.");
            } else if (!uuids.add(device.uuid().toLowerCase(Locale.ROOT))) {
                problem(path + ".uuid", device.uuid(), "duplicate device UUID in the fleet; the kernel answers EEXIST. "
                        + "Maybe the device is listed on two parents.");
            }
            var type = typesById.get(device.type());
            if (type == null) {
                problem(path + ".type", device.type(), "the parent does not offer this type. Maybe use one of: "
                        + choices(typesById.keySet()) + ".");
                continue;
            }
            var instances = device.instancesOrOne();
            if (instances < 1 || instances > type.effectiveMaxAggregation()) {
                problem(path + ".instances", String.valueOf(instances), "type " + type.id() + " holds 1 to "
                        + type.effectiveMaxAggregation() + " instances per device. Maybe fix instances or the type's maxAggregation.");
                continue;
            }
            deviceTypes.add(type.id());
            type.cost().forEach((pool, cost) -> {
                if (cost != null) {
                    used.merge(pool, cost * instances, Long::sum);
                }
            });
            if (device.workload() != null
                    && ownedDeviceByWorkload.putIfAbsent(device.workload(), device) != null) {
                problem(path + ".workload", device.workload(), "a workload owns one device; this one owns two. "
                        + "Maybe one of the devices belongs to another workload.");
            }
        }
        used.forEach((pool, amount) -> {
            var capacity = parent.pools().get(pool);
            if (capacity != null && amount > capacity) {
                problem(parentPath + ".devices", String.valueOf(amount), "the devices use " + amount + " of pool " + pool
                        + " but it holds " + capacity + ". Maybe the pool is too small or a device is listed twice.");
            }
        });
        if (!parent.isMixedTypes() && deviceTypes.size() > 1) {
            problem(parentPath + ".devices", deviceTypes.toString(), "the parent does not mix types (mixedTypes: false) "
                    + "but holds devices of several. Maybe set mixedTypes to true.");
        }
    }

    private void checkWorkloads(FleetDocument document) {
        checkWorkloads(document.workloads(), w -> "$.workloads[" + w + "]");
    }

    /**
     * Checks workloads asked for outside a document (a scheduler's placement requests) by the rules the document's
     * workloads follow, against the types a fleet offers: type id to the largest aggregation any parent offers.
     * {@code pathOf} gives the JSON path of the i-th request.
     */
    public static List<FleetProblem> validateRequests(List<FleetWorkload> workloads,
            Map<String, Integer> maxAggregationByType, IntFunction<String> pathOf) {
        var validator = new FleetValidator();
        validator.maxAggregationByType.putAll(maxAggregationByType);
        validator.checkWorkloads(workloads, pathOf);
        return List.copyOf(validator.problems);
    }

    private void checkWorkloads(List<FleetWorkload> workloads, IntFunction<String> pathOf) {
        var ids = new HashSet<String>();
        for (var w = 0; w < workloads.size(); w++) {
            var workload = workloads.get(w);
            var path = pathOf.apply(w);
            if (workload == null) {
                problem(path, null, "a workload is null. Maybe remove the stray comma or null.");
                continue;
            }
            if (checkName(path + ".id", workload.id(), "workload id") && !ids.add(workload.id())) {
                problem(path + ".id", workload.id(), "duplicate workload id. Maybe rename one of the workloads.");
            }
            var maxAggregation = maxAggregationByType.get(workload.type());
            if (workload.type() == null || maxAggregation == null) {
                problem(path + ".type", workload.type(), "no parent in the fleet offers this type. Maybe use one of: "
                        + choices(new TreeSet<>(maxAggregationByType.keySet())) + ".");
            }
            var instances = workload.instancesOrOne();
            if (instances < 1) {
                problem(path + ".instances", String.valueOf(instances), "a workload needs at least 1 instance. Maybe use 1.");
            } else if (maxAggregation != null && instances > maxAggregation) {
                problem(path + ".instances", String.valueOf(instances), "no parent aggregates more than " + maxAggregation
                        + " instances of " + workload.type() + " into one device. Maybe request at most " + maxAggregation
                        + ", or split the workload.");
            }
            var priority = workload.priorityOrDefault();
            if (priority < 0 || priority > MAX_PRIORITY) {
                problem(path + ".priority", String.valueOf(priority), "priority must be between 0 and " + MAX_PRIORITY + ".");
            }
            if (workload.antiAffinityGroup() != null) {
                checkName(path + ".antiAffinityGroup", workload.antiAffinityGroup(), "anti-affinity group");
            }
            workload.hostSelector().forEach((key, value) -> {
                if (key.isBlank() || value == null) {
                    problem(path + ".hostSelector", key, "a selector needs a non-blank key and a value.");
                }
            });
            var owned = workload.id() == null ? null : ownedDeviceByWorkload.get(workload.id());
            if (owned != null && (!owned.type().equals(workload.type()) || owned.instancesOrOne() != instances)) {
                problem(path, workload.id(), "the workload already owns device " + owned.uuid() + " of " + owned.type() + " x"
                        + owned.instancesOrOne() + " but asks for " + workload.type() + " x" + instances
                        + ". Maybe remove the device first to resize, or fix the request.");
            }
        }
    }

    private boolean checkName(String path, String name, String what) {
        var unsafe = SysfsNames.whyUnsafe(name);
        unsafe.ifPresent(reason -> problem(path, name, "the " + what + " " + reason
                + ". Maybe use letters, digits, '-', '_', '.' and ':' only."));
        return unsafe.isEmpty();
    }

    private void problem(String path, String value, String message) {
        problems.add(new FleetProblem(path, value, message));
    }

    private static String choices(Collection<String> values) {
        if (values.isEmpty()) {
            return "(none)";
        }
        var listed = values.stream().limit(MAX_LISTED_CHOICES).toList();
        return String.join(", ", listed) + (values.size() > listed.size() ? ", ..." : "");
    }

    private static String firstOr(Collection<String> values, String fallback) {
        return values.isEmpty() ? fallback : values.iterator().next();
    }
}
