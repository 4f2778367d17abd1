package io.mdevplan.executor.apply;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.mdevplan.executor.files.Errno;
import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.sysfs.AggregationDialect;
import io.mdevplan.executor.sysfs.SysfsInventoryReader;
import io.mdevplan.executor.sysfs.SysfsLayout;
import io.mdevplan.executor.sysfs.SysfsParent;
import io.mdevplan.executor.sysfs.SysfsType;
import io.mdevplan.executor.sysfs.TypeAggregation;

/**
 * Applies a plan to this host, the way mdevctl starts a device: check, create, write the attributes in order, and on
 * any failure remove the device again. The rules, in the order an operator meets them:
 * <ul>
 * <li>Every action is checked against the host's own inventory before anything is written; if one is refused,
 * nothing of the plan is written and the others are skipped.</li>
 * <li>Actions run in the plan's order. The first failure stops the run: what it made is removed again, the actions
 * before it stay done, the ones after it are skipped (a planner orders removes before the creates that need their
 * room, so running on would fail more or place differently than planned).</li>
 * <li>Applying the same plan again is safe, and finishes what a killed run left half made: a device with the
 * action's UUID on its parent and type is completed as asked (nothing is written where it is so already), a remove
 * of a device that is not there is done.</li>
 * </ul>
 */
public final class PlanApplier {

    /**
     * The device directory's own entries, which a plan's attributes must never write: the core's files, and the
     * links and directories (vfio-dev/vfioN/device, subsystem) through which a path leads to other devices.
     */
    private static final Set<String> CORE_ENTRIES = Set.of("remove", "mdev_type", "aggregated_instances", "driver",
            "iommu_group", "subsystem", "uevent", "power", "vfio-dev");
    private static final String AGGREGATION_ATTRIBUTE = "mdev/aggregation";
    /** The longest action id: the service's are numbers, an operator's a1, a2, ... */
    private static final int MAX_ID_LENGTH = 64;

    private final SysfsLayout layout;
    private final SysfsFiles files;
    private final SysfsInventoryReader reader;
    private final boolean persist;

    /** {@code persist}: write and delete mdevctl definitions under etc/mdevctl.d along with the devices. */
    public PlanApplier(SysfsLayout layout, SysfsFiles files, boolean persist) {
        this.layout = layout;
        this.files = files;
        this.reader = new SysfsInventoryReader(layout, files);
        this.persist = persist;
    }

    /** A create that passed every check, with what the checks learnt. */
    private record CheckedCreate(String id, String uuid, String parent, String type, int instances,
            TypeAggregation aggregation, List<Map.Entry<String, String>> attrs) {
    }

    public ApplyReport apply(Plan plan) {
        var inventory = new LinkedHashMap<String, Map<String, SysfsType>>();
        for (SysfsParent parent : reader.parents()) {
            var types = new LinkedHashMap<String, SysfsType>();
            parent.types().forEach(type -> types.put(type.id(), type));
            inventory.put(parent.address(), types);
        }
        var refusals = refusals(plan, inventory);
        var results = new ArrayList<ActionResult>();
        var actions = plan.actions();
        if (!refusals.isEmpty()) {
            var first = refusals.keySet().iterator().next();
            for (var i = 0; i < actions.size(); i++) {
                var refusal = refusals.get(i);
                results.add(refusal != null ? ActionResult.refused(actions.get(i).id(), refusal)
                        : ActionResult.skipped(actions.get(i).id(), "Skipped: nothing of the plan was written because"
                                + " action " + label(actions.get(first), first) + " was refused. Maybe fix that"
                                + " action and apply the plan again."));
            }
            return new ApplyReport(results);
        }
        String failed = null;
        for (var action : actions) {
            if (failed != null) {
                results.add(ActionResult.skipped(action.id(), "Skipped: action " + failed + " failed before it."
                        + " Maybe fix its cause and apply the plan again: the actions done so far count as done."));
                continue;
            }
            var result = action.op().equals("create") ? create(checkedCreate(action)) : remove(action);
            if (result.status() != ActionStatus.DONE) {
                failed = action.id();
            }
            results.add(result);
        }
        return new ApplyReport(results);
    }

    // ---------------------------------------------------------------- checks before any write

    /** The reason each refused action is refused, by its index, in plan order; empty when all may run. */
    private Map<Integer, String> refusals(Plan plan, Map<String, Map<String, SysfsType>> inventory) {
        var refusals = new LinkedHashMap<Integer, String>();
        var hostRefusal = hostRefusal(plan.host());
        var ids = new HashMap<String, Integer>();
        var uuids = new HashMap<String, String>();
        var actions = plan.actions();
        for (var i = 0; i < actions.size(); i++) {
            var action = actions.get(i);
            var refusal = hostRefusal != null ? hostRefusal : refusal(action, i, inventory, ids, uuids);
            if (refusal != null) {
                refusals.put(i, refusal);
            }
        }
        return refusals;
    }

    private String hostRefusal(String planHost) {
        var hostname = files.read(layout.hostnameFile()).map(String::strip).orElse("");
        if (hostname.isEmpty()) {
            return "This host has no name in " + layout.hostnameFile() + ", so the plan for \"" + printable(planHost)
                    + "\" cannot be matched to it. Maybe check --root, or write the host name into that file.";
        }
        if (!shortName(hostname).equalsIgnoreCase(shortName(planHost))) {
            return "The plan is for host \"" + printable(planHost) + "\", but this is \"" + hostname + "\"."
                    + " Maybe the plan was copied to the wrong host.";
        }
        return null;
    }

    private static String shortName(String host) {
        var dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(0, dot);
    }

    private String refusal(PlanAction action, int index, Map<String, Map<String, SysfsType>> inventory,
            Map<String, Integer> ids, Map<String, String> uuids) {
        var label = label(action, index);
        if (action.id() == null || action.id().isBlank()) {
            return "The action $.actions[" + index + "] has no id. Maybe give every action a unique id, e.g. a1.";
        }
        if (action.id().length() > MAX_ID_LENGTH || action.id().chars().anyMatch(Character::isISOControl)) {
            return "The action id \"" + printable(action.id()) + "\" of $.actions[" + index + "] is longer than "
                    + MAX_ID_LENGTH + " characters or holds a control character. Maybe number the actions a1, a2, ...";
        }
        var earlier = ids.putIfAbsent(action.id(), index);
        if (earlier != null) {
            return "The action id \"" + action.id() + "\" is used by $.actions[" + earlier + "] and $.actions["
                    + index + "]. Maybe number the actions a1, a2, ...";
        }
        if (!"create".equals(action.op()) && !"remove".equals(action.op())) {
            return "The op \"" + printable(action.op()) + "\" of action " + label + " is neither create nor remove."
                    + " Maybe spell it in lower case.";
        }
        if (!SysfsLayout.isUuid(action.uuid())) {
            return "The uuid \"" + printable(action.uuid()) + "\" of action " + label + " is not 8-4-4-4-12"
                    + " hexadecimal digits. Maybe generate one with uuidgen.";
        }
        var uuid = action.uuid().toLowerCase(Locale.ROOT);
        var other = uuids.putIfAbsent(uuid, action.id());
        if (other != null) {
            return "The uuid " + uuid + " appears in actions " + other + " and " + label + "; one run could not"
                    + " tell which comes true. Maybe split the plan in two.";
        }
        if (action.op().equals("remove")) {
            if (action.parent() != null || action.type() != null || action.instances() != null
                    || action.attrs() != null) {
                return "The remove " + label + " gives parent, type, instances or attrs, but a remove takes only id,"
                        + " op and uuid. Maybe leave them out: the device is found by its UUID.";
            }
            return null;
        }
        return createRefusal(action, label, inventory);
    }

    private String createRefusal(PlanAction action, String label, Map<String, Map<String, SysfsType>> inventory) {
        try {
            layout.typeDir(action.parent(), action.type());
        } catch (IllegalArgumentException e) {
            return "Action " + label + ": " + e.getMessage();
        }
        var types = inventory.get(action.parent());
        if (types == null) {
            return "The parent \"" + action.parent() + "\" of action " + label + " is not on this host (it has: "
                    + (inventory.isEmpty() ? "no mdev parent" : String.join(", ", inventory.keySet()))
                    + "). Maybe the plan was made for another host, or the parent's driver is not loaded.";
        }
        if (!types.containsKey(action.type())) {
            return "The parent " + action.parent() + " does not offer the type \"" + action.type() + "\" of action "
                    + label + " (it offers: " + String.join(", ", types.keySet()) + "). Maybe the plan was made for"
                    + " another model of the device.";
        }
        TypeAggregation aggregation;
        try {
            aggregation = reader.aggregation(action.parent(), action.type());
        } catch (IllegalStateException e) {
            return "Action " + label + ": " + e.getMessage();
        }
        var instances = action.instances() == null ? 1 : action.instances();
        if (instances < 1 || instances > aggregation.max()) {
            return "Action " + label + " asks for " + instances + " instances in one device of " + action.type()
                    + ", which holds 1 to " + aggregation.max() + " (aggregation: "
                    + aggregation.dialect().name().toLowerCase(Locale.ROOT) + "). Maybe split it into several"
                    + " devices.";
        }
        return attrs(action).isEmpty() ? null : attrRefusal(action, label);
    }

    private String attrRefusal(PlanAction action, String label) {
        var names = new HashSet<String>();
        for (var attr : action.attrs()) {
            if (attr == null || attr.size() != 1) {
                return "An attribute of action " + label + " is " + printable(String.valueOf(attr)) + ", not one name"
                        + " with one value. Maybe write it as {\"mdev/name\": \"value\"}, as mdevctl does.";
            }
            var entry = attr.entrySet().iterator().next();
            var name = entry.getKey();
            try {
                layout.deviceFile(action.uuid(), name);
            } catch (IllegalArgumentException e) {
                return "Action " + label + ": " + e.getMessage();
            }
            var parts = name.split("/");
            if (parts.length > 2) {
                return "The attribute \"" + name + "\" of action " + label + " lies " + (parts.length - 1)
                        + " directories below the device, but a driver's attributes are files of the device or of one"
                        + " attribute group (sysfs groups are one directory deep); deeper paths go through links to"
                        + " other devices. Maybe name it <group>/<attribute>, e.g. mdev/weight.";
            }
            if (CORE_ENTRIES.contains(parts[0])) {
                return "The attribute \"" + name + "\" of action " + label + " is one of the mdev core's own entries"
                        + " (" + String.join(", ", CORE_ENTRIES.stream().sorted().toList()) + "), not a driver"
                        + " attribute. Maybe the plan meant a file under mdev/.";
            }
            if (name.equals(AGGREGATION_ATTRIBUTE)) {
                return "Action " + label + " sets " + AGGREGATION_ATTRIBUTE + " as an attribute. Maybe give"
                        + " \"instances\" instead: the executor writes it in the type's own dialect.";
            }
            if (!names.add(name)) {
                return "The attribute \"" + name + "\" appears twice in action " + label + ". Maybe keep the last.";
            }
            var value = entry.getValue();
            if (value == null || value.chars().anyMatch(Character::isISOControl)) {
                return "The value \"" + printable(value) + "\" of attribute " + name + " in action " + label
                        + " is missing or holds a control character. Maybe the value lost its quotes, or a newline"
                        + " was pasted with it.";
            }
        }
        return null;
    }

    private CheckedCreate checkedCreate(PlanAction action) {
        var attrs = new ArrayList<Map.Entry<String, String>>();
        for (var attr : attrs(action)) {
            var entry = attr.entrySet().iterator().next();
            attrs.add(new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue()));
        }
        return new CheckedCreate(action.id(), action.uuid().toLowerCase(Locale.ROOT), action.parent(), action.type(),
                action.instances() == null ? 1 : action.instances(),
                reader.aggregation(action.parent(), action.type()), attrs);
    }

    private static List<Map<String, String>> attrs(PlanAction action) {
        return action.attrs() == null ? List.of() : action.attrs();
    }

    private static String label(PlanAction action, int index) {
        return action.id() == null || action.id().isBlank() ? "$.actions[" + index + "]" : printable(action.id());
    }

    private static String printable(String value) {
        return SysfsLayout.shown(value);
    }

    // ---------------------------------------------------------------- create

    private ActionResult create(CheckedCreate create) {
        return files.exists(layout.device(create.uuid())) ? existing(create) : fresh(create);
    }

    /** Makes the device from nothing: room checked again, create, aggregation, attributes, definition. */
    private ActionResult fresh(CheckedCreate create) {
        var available = reader.availableInstances(create.parent(), create.type());
        // available_instances counts instances, so an aggregated device needs as many as it holds
        var needed = create.instances();
        if (available < needed) {
            return ActionResult.failed(create.id(), Errno.ENOSPC.name(), "The type " + create.type() + " on "
                    + create.parent() + " has room for " + available + " more instances now, but action "
                    + create.id() + " needs " + needed + "; nothing was written. Maybe another writer took the"
                    + " capacity since the plan was made: read the inventory and plan again.");
        }
        var createText = create.aggregation().dialect() == AggregationDialect.CREATE_PARAMETER
                && create.instances() > 1 ? create.uuid() + ",aggregate=" + create.instances() : create.uuid();
        try {
            files.write(layout.createFile(create.parent(), create.type()), createText);
        } catch (SysfsWriteException e) {
            return ActionResult.failed(create.id(), e.errno().name(), e.getMessage() + " " + hint(e.errno()));
        }
        if (!files.exists(layout.device(create.uuid()))) {
            return ActionResult.failed(create.id(), Errno.ENODEV.name(), "The kernel accepted the create of "
                    + create.uuid() + " on " + create.parent() + ", but no device " + layout.device(create.uuid())
                    + " appeared. Maybe the driver's probe failed: dmesg says why.");
        }
        try {
            if (create.aggregation().dialect() == AggregationDialect.ATTRIBUTE && create.instances() > 1) {
                files.write(layout.deviceFile(create.uuid(), AGGREGATION_ATTRIBUTE),
                        String.valueOf(create.instances()));
            }
            for (var attr : create.attrs()) {
                files.write(layout.deviceFile(create.uuid(), attr.getKey()), attr.getValue());
            }
            if (persist) {
                files.writeRegularFile(layout.definition(create.parent(), create.uuid()), definition(create).toJson());
            }
        } catch (SysfsWriteException e) {
            return unwind(create, e);
        }
        return ActionResult.done(create.id());
    }

    /**
     * A device with the UUID is there already. The service gives every placement a UUID of its own, so one on the
     * action's parent and type is this action's, half made by an earlier run that was killed (before the aggregation,
     * the attributes or the definition): it is finished as asked, and removed again if that fails, as a fresh create
     * would be. One on another parent or type is someone else's: EEXIST, and it is left alone.
     */
    private ActionResult existing(CheckedCreate create) {
        var instances = reader.deviceInstances(create.uuid());
        if (!files.exists(layout.typeDevice(create.parent(), create.type(), create.uuid()))) {
            var type = files.readLink(layout.deviceFile(create.uuid(), "mdev_type"))
                    .map(target -> target.getFileName().toString()).orElse("an unknown type");
            // the device's directory is under its parent's
            var parent = files.readLink(layout.device(create.uuid())).map(Path::getParent).map(Path::getFileName)
                    .map(Path::toString).orElse("an unknown parent");
            return ActionResult.failed(create.id(), Errno.EEXIST.name(), "The device " + create.uuid()
                    + " already exists as " + type + " on " + parent + " holding " + instances + " instances, not as "
                    + create.type() + " on " + create.parent() + "; it was left as it is. Maybe remove it first, or"
                    + " give this action another UUID.");
        }
        if (create.aggregation().dialect() == AggregationDialect.CREATE_PARAMETER && instances != create.instances()) {
            return recreate(create, instances);
        }
        var definitionFile = layout.definition(create.parent(), create.uuid());
        var json = definition(create).toJson();
        // the definition is a create's last step: where it is there as asked, the steps before it were done too
        var defined = persist && files.read(definitionFile).map(json::equals).orElse(false);
        // once this run writes to the device, a failure removes it again, as it would a device made from nothing
        var touched = false;
        try {
            if (create.aggregation().dialect() == AggregationDialect.ATTRIBUTE && instances != create.instances()) {
                touched = true;
                files.write(layout.deviceFile(create.uuid(), AGGREGATION_ATTRIBUTE),
                        String.valueOf(create.instances()));
            }
            for (var attr : create.attrs()) {
                if (differs(create.uuid(), attr, defined && !touched)) {
                    touched = true;
                    files.write(layout.deviceFile(create.uuid(), attr.getKey()), attr.getValue());
                }
            }
            if (persist && !defined) {
                files.writeRegularFile(definitionFile, json);
            }
        } catch (SysfsWriteException e) {
            if (touched) {
                return unwind(create, e);
            }
            // the device was as asked, and may be a VM's already: it stays, only its definition is missing
            return ActionResult.failed(create.id(), e.errno().name(), "The device " + create.uuid() + " is there"
                    + " as asked and was left alone, but its definition could not be written: " + e.getMessage()
                    + " " + hint(e.errno()));
        }
        return ActionResult.done(create.id());
    }

    /**
     * Whether an attribute of an existing device must be written: its value reads otherwise, or it is not there
     * (the write then fails as it would on create). A write-only attribute, as vendor attributes often are, is
     * written unless {@code knownWritten}: the device's definition as asked shows the earlier run got past it.
     */
    private boolean differs(String uuid, Map.Entry<String, String> attr, boolean knownWritten) {
        try {
            return files.read(layout.deviceFile(uuid, attr.getKey()))
                    .map(value -> !value.strip().equals(attr.getValue().strip())).orElse(true);
        } catch (UncheckedIOException e) {
            return !knownWritten;
        }
    }

    /**
     * A create-parameter device holding other instances than asked: the count is fixed at create, so the device is
     * removed and made again, provided the room it frees and the room free now can hold what is asked.
     */
    private ActionResult recreate(CheckedCreate create, long held) {
        var available = reader.availableInstances(create.parent(), create.type());
        // removing a device gives its type back at most the instances it held
        if (available + held < create.instances()) {
            return ActionResult.failed(create.id(), Errno.ENOSPC.name(), "The device " + create.uuid() + " holds "
                    + held + " instances of " + create.type() + ", not " + create.instances() + ", and with "
                    + available + " more free it cannot be made again with " + create.instances() + "; it was left"
                    + " as it is. Maybe free room on " + create.parent() + " first, or plan the action again.");
        }
        try {
            files.write(layout.removeFile(create.uuid()), "1");
        } catch (SysfsWriteException e) {
            return ActionResult.failed(create.id(), e.errno().name(), "The device " + create.uuid() + " holds "
                    + held + " instances, not " + create.instances() + ", and removing it to make it again failed: "
                    + e.getMessage() + " It was left as it is. " + hint(e.errno()));
        }
        var made = fresh(create);
        if (made.status() == ActionStatus.DONE) {
            return made;
        }
        return ActionResult.failed(create.id(), made.error().errno(), "The device " + create.uuid() + " held " + held
                + " instances and was removed to be made again with " + create.instances() + ": "
                + made.error().message());
    }

    /** Removes the half-made device again, as mdevctl does, and reports the failure that made it half. */
    private ActionResult unwind(CheckedCreate create, SysfsWriteException cause) {
        var removeFile = layout.removeFile(create.uuid());
        try {
            files.write(removeFile, "1");
        } catch (SysfsWriteException e) {
            return ActionResult.failed(create.id(), cause.errno().name(), cause.getMessage() + " Removing the"
                    + " half-made device " + create.uuid() + " failed too: " + e.getMessage() + " Maybe remove it"
                    + " by hand once it is free: echo 1 > " + removeFile);
        }
        return ActionResult.failed(create.id(), cause.errno().name(), cause.getMessage() + " The half-made device "
                + create.uuid() + " was removed again. " + hint(cause.errno()));
    }

    /**
     * The definition mdevctl would start the device from: aggregation through the attribute is an attribute like
     * any other; the create parameter is not something mdevctl can pass, so such a device is defined for manual
     * start, lest mdevctl create it at boot holding one instance.
     */
    private static MdevctlDefinition definition(CheckedCreate create) {
        var attrs = new ArrayList<Map.Entry<String, String>>();
        var dialect = create.aggregation().dialect();
        if (dialect == AggregationDialect.ATTRIBUTE && create.instances() > 1) {
            attrs.add(new AbstractMap.SimpleImmutableEntry<>(AGGREGATION_ATTRIBUTE,
                    String.valueOf(create.instances())));
        }
        attrs.addAll(create.attrs());
        var start = dialect == AggregationDialect.CREATE_PARAMETER && create.instances() > 1 ? "manual" : "auto";
        return new MdevctlDefinition(create.type(), start, attrs);
    }

    // ---------------------------------------------------------------- remove

    private ActionResult remove(PlanAction action) {
        var uuid = action.uuid().toLowerCase(Locale.ROOT);
        if (files.exists(layout.device(uuid))) {
            try {
                files.write(layout.removeFile(uuid), "1");
            } catch (SysfsWriteException e) {
                return ActionResult.failed(action.id(), e.errno().name(), e.getMessage()
                        + " The device and its definition were kept. " + hint(e.errno()));
            }
        }
        if (persist) {
            for (var definition : definitions(uuid)) {
                try {
                    files.deleteRegularFile(definition);
                } catch (SysfsWriteException e) {
                    return ActionResult.failed(action.id(), e.errno().name(), "The device " + uuid + " is gone, but"
                            + " its definition stays: " + e.getMessage() + " Maybe delete it by hand, or mdevctl"
                            + " creates the device again at boot.");
                }
            }
        }
        return ActionResult.done(action.id());
    }

    /** Every mdevctl definition of the UUID, under whichever parent it was defined. */
    private List<Path> definitions(String uuid) {
        var found = new ArrayList<Path>();
        for (var parent : files.list(layout.mdevctlDefinitions())) {
            Path file;
            try {
                file = layout.definition(parent, uuid);
            } catch (IllegalArgumentException e) {
                // a directory whose name could be no parent address holds none of the definitions this executor writes
                continue;
            }
            if (files.read(file).isPresent()) {
                found.add(file);
            }
        }
        return found;
    }

    private static String hint(Errno errno) {
        switch (errno) {
            case ENOSPC:
                return "Maybe another writer took the capacity: read the inventory and plan again.";
            case EUSERS:
                return "Maybe the parent holds as many devices as its driver allows: remove one first.";
            case EEXIST:
                return "Maybe the UUID is taken by another device: give the action another UUID.";
            case EBUSY:
                return "Maybe a VM has the device open: stop it first.";
            case EINVAL:
                return "Maybe the driver does not accept this value: see the type's description.";
            case ENOENT:
                return "Maybe the driver has no such attribute, or the device went away meanwhile.";
            default:
                return "Maybe dmesg says more.";
        }
    }
}
