package io.mdevplan.executor.libvirt;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A mediated device as libvirt's node-device XML describes it ({@code virsh nodedev-dumpxml}, and what
 * {@code virsh nodedev-define} takes): the device named {@code mdev_<uuid>_<parent>} with underscores, its parent by
 * libvirt's name ({@code pci_0000_00_02_0} for a PCI function, {@code css_0_0_0072} for a channel subsystem device),
 * and the mdev capability with the type, the UUID, the parent's address and the attributes in order.
 */
public final class NodeDeviceXml {

    private static final Pattern PCI_ADDRESS = Pattern.compile(
            "[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");
    private static final Pattern CSS_BUS_ID = Pattern.compile("[0-9a-fA-F]\\.[0-9a-fA-F]\\.[0-9a-fA-F]{4}");

    /** One attribute of the device, as mdevctl and libvirt list them: the file under the device, its value. */
    public record Attribute(String name, String value) {
    }

    /**
     * A device: {@code sysfsPath} is where the kernel shows it (null when not created), {@code iommuGroup} its IOMMU
     * group (null when unknown).
     */
    public record MdevDevice(String uuid, String parent, String typeId, String sysfsPath, List<Attribute> attributes,
            Integer iommuGroup) {

        public MdevDevice {
            attributes = List.copyOf(attributes);
        }
    }

    private NodeDeviceXml() {
    }

    public static String format(MdevDevice device) {
        var xml = new StringBuilder(512);
        xml.append("<device>\n");
        element(xml, "  ", "name", nodeName(device.uuid(), device.parent()));
        if (device.sysfsPath() != null) {
            element(xml, "  ", "path", device.sysfsPath());
        }
        element(xml, "  ", "parent", parentName(device.parent()));
        xml.append("  <driver>\n");
        element(xml, "    ", "name", "vfio_mdev");
        xml.append("  </driver>\n");
        xml.append("  <capability type='mdev'>\n");
        xml.append("    <type id='").append(escape(device.typeId())).append("'/>\n");
        element(xml, "    ", "uuid", device.uuid().toLowerCase(Locale.ROOT));
        element(xml, "    ", "parent_addr", device.parent());
        for (var attribute : device.attributes()) {
            xml.append("    <attr name='").append(escape(attribute.name())).append("' value='")
                    .append(escape(attribute.value())).append("'/>\n");
        }
        if (device.iommuGroup() != null) {
            xml.append("    <iommuGroup number='").append(device.iommuGroup()).append("'/>\n");
        }
        xml.append("  </capability>\n");
        xml.append("</device>\n");
        return xml.toString();
    }

    /** libvirt's name of a defined or active mdev: {@code mdev_<uuid>_<parent>}, every non-alphanumeric made '_'. */
    static String nodeName(String uuid, String parent) {
        return "mdev_" + underscored(uuid.toLowerCase(Locale.ROOT)) + "_" + underscored(parent);
    }

    /** libvirt's name of the parent device: by bus for PCI and channel subsystem devices, else the name itself. */
    static String parentName(String parent) {
        if (PCI_ADDRESS.matcher(parent).matches()) {
            return "pci_" + underscored(parent.toLowerCase(Locale.ROOT));
        }
        if (CSS_BUS_ID.matcher(parent).matches()) {
            return "css_" + underscored(parent.toLowerCase(Locale.ROOT));
        }
        return underscored(parent);
    }

    private static String underscored(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static void element(StringBuilder xml, String indent, String name, String text) {
        xml.append(indent).append('<').append(name).append('>').append(escape(text)).append("</").append(name)
                .append(">\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
                .replace("\"", "&quot;");
    }
}
