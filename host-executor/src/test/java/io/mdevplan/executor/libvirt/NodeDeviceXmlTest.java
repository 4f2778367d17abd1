package io.mdevplan.executor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mdevplan.executor.libvirt.NodeDeviceXml.Attribute;
import io.mdevplan.executor.libvirt.NodeDeviceXml.MdevDevice;

class NodeDeviceXmlTest {

    @Test
    void anActiveAggregatedDeviceOnAPciParentMatchesItsGoldenFile() throws IOException {
        var device = new MdevDevice("4B20D080-1B54-4048-85B3-A6A62D165C01", "0000:00:02.0", "i915-GVTg_V5_8",
                "/sys/devices/pci0000:00/0000:00:02.0/4b20d080-1b54-4048-85b3-a6a62d165c01",
                List.of(new Attribute("mdev/aggregation", "2")), 12);

        assertThat(NodeDeviceXml.format(device)).isEqualTo(golden("mdev-i915-aggregated.xml"));
    }

    @Test
    void aDefinedDeviceOnAChannelSubsystemParentHasNoPathNorGroup() throws IOException {
        var device = new MdevDevice("96c03c6a-a109-44fe-816a-ba371542164b", "0.0.0072", "vfio_ccw-io", null,
                List.of(), null);

        assertThat(NodeDeviceXml.format(device)).isEqualTo(golden("mdev-defined-css.xml"));
    }

    @Test
    void parentsAreNamedByBusAndEveryValueIsEscaped() {
        assertThat(NodeDeviceXml.parentName("0000:3D:00.0")).isEqualTo("pci_0000_3d_00_0");
        assertThat(NodeDeviceXml.parentName("mtty")).isEqualTo("mtty");
        assertThat(NodeDeviceXml.nodeName("96c03c6a-a109-44fe-816a-ba371542164b", "mtty"))
                .isEqualTo("mdev_96c03c6a_a109_44fe_816a_ba371542164b_mtty");

        var xml = NodeDeviceXml.format(new MdevDevice("96c03c6a-a109-44fe-816a-ba371542164b", "mtty", "mtty-1",
                null, List.of(new Attribute("mdev/label", "a'b<c>&\"d")), null));

        assertThat(xml).contains("<attr name='mdev/label' value='a&apos;b&lt;c&gt;&amp;&quot;d'/>");
    }

    private static String golden(String name) throws IOException {
        try (var in = NodeDeviceXmlTest.class.getResourceAsStream("/libvirt/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
