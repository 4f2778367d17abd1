package io.mdevplan.executor.libvirt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.mdevplan.executor.apply.MdevctlDefinition;
import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.libvirt.NodeDeviceXml.Attribute;
import io.mdevplan.executor.libvirt.NodeDeviceXml.MdevDevice;
import io.mdevplan.executor.sysfs.SysfsInventoryReader;
import io.mdevplan.executor.sysfs.SysfsLayout;

/**
 * Reads an existing mediated device as libvirt's node-device XML describes it: the type from its {@code mdev_type}
 * link, the parent from where {@code sys/bus/mdev/devices} links it (the device's directory is under its parent's),
 * the IOMMU group from its {@code iommu_group} link, and the attributes from its mdevctl definition, which is what
 * made it, with the aggregation set to what the device holds now.
 */
public final class NodeDeviceReader {

    private static final String AGGREGATION_ATTRIBUTE = "mdev/aggregation";
    private static final Pattern GROUP_NUMBER = Pattern.compile("[0-9]{1,9}");

    /** The device as read, and why its XML would not make the same device again (null when it would). */
    public record Found(MdevDevice device, String caveat) {
    }

    private final SysfsLayout layout;
    private final SysfsFiles files;
    private final SysfsInventoryReader reader;

    public NodeDeviceReader(SysfsLayout layout, SysfsFiles files) {
        this.layout = layout;
        this.files = files;
        this.reader = new SysfsInventoryReader(layout, files);
    }

    /**
     * The device with {@code uuid} (either case), or empty when no device has it.
     *
     * @throws IllegalStateException    when the tree is not shaped as sysfs shapes a device
     * @throws IllegalArgumentException when the device's definition is no mdevctl definition
     */
    public Optional<Found> read(String uuid) {
        var lower = uuid.toLowerCase(Locale.ROOT);
        var entry = layout.device(lower);
        if (!files.exists(entry)) {
            return Optional.empty();
        }
        var directory = entry.getParent().resolve(link(entry)).normalize();
        if (!directory.startsWith(layout.root()) || directory.getParent() == null) {
            throw new IllegalStateException("The device entry " + entry + " links to " + directory + ", outside "
                    + layout.root() + ". Maybe --root is a copy whose links still point into the host's /sys.");
        }
        var parent = directory.getParent().getFileName().toString();
        var type = link(layout.deviceFile(lower, "mdev_type")).getFileName().toString();
        var attributes = new ArrayList<Attribute>();
        var instances = reader.deviceInstances(lower);
        if (files.exists(layout.deviceFile(lower, AGGREGATION_ATTRIBUTE)) && instances > 1) {
            // what the device holds now, first, as apply writes it; a definition may be older than the device
            attributes.add(new Attribute(AGGREGATION_ATTRIBUTE, String.valueOf(instances)));
        }
        for (var attr : definedAttributes(parent, lower)) {
            if (!attr.getKey().equals(AGGREGATION_ATTRIBUTE)) {
                attributes.add(new Attribute(attr.getKey(), attr.getValue()));
            }
        }
        String caveat = null;
        if (files.exists(layout.deviceFile(lower, "aggregated_instances")) && instances > 1) {
            caveat = "The device " + lower + " holds " + instances + " instances through the create parameter,"
                    + " which libvirt cannot pass: this XML makes a device of one instance. Maybe leave it to"
                    + " mdevplan-executor apply, and do not let libvirt start it.";
        }
        var hostPath = Path.of("/").resolve(layout.root().relativize(directory)).toString();
        return Optional.of(new Found(new MdevDevice(lower, parent, type, hostPath, attributes, iommuGroup(lower)),
                caveat));
    }

    private Path link(Path path) {
        return files.readLink(path).orElseThrow(() -> new IllegalStateException("The sysfs entry " + path
                + " is no symbolic link. Maybe --root is a copy made without its links (cp -a keeps them)."));
    }

    private List<Map.Entry<String, String>> definedAttributes(String parent, String uuid) {
        var file = layout.definition(parent, uuid);
        return files.read(file).map(json -> MdevctlDefinition.parse(json, file.toString()).attrs()).orElse(List.of());
    }

    /** The group's number from the link's name, or null where the device has no group (no IOMMU, no vfio). */
    private Integer iommuGroup(String uuid) {
        var group = files.readLink(layout.deviceFile(uuid, "iommu_group"));
        if (group.isEmpty()) {
            return null;
        }
        var name = group.get().getFileName().toString();
        if (!GROUP_NUMBER.matcher(name).matches()) {
            throw new IllegalStateException("The iommu_group link of device " + uuid + " points to " + group.get()
                    + ", not to a numbered group. Maybe --root is not a sysfs tree.");
        }
        return Integer.valueOf(name);
    }
}
