package io.mdevplan.planner.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class PoolInferenceTest {

    private static TypeObservation type(String id, long available) {
        return new TypeObservation(id, null, null, "vfio-pci", available);
    }

    private static TypeObservation type(String id, String description, long available) {
        return new TypeObservation(id, null, description, "vfio-pci", available);
    }

    private static List<DeviceObservation> devices(String type, int count) {
        var devices = new ArrayList<DeviceObservation>();
        for (var i = 0; i < count; i++) {
            devices.add(new DeviceObservation(type + "-device-" + i, type, 1));
        }
        return devices;
    }

    private static Map<String, Long> costsIn(InferredCapacity capacity, String pool) {
        var costs = new TreeMap<String, Long>();
        capacity.costs().forEach((type, cost) -> costs.put(type, cost.get(pool)));
        return costs;
    }

    // --- maxima on an empty parent

    @Test
    void mttyEmptyParentIsAPoolOf24Ports() {
        var capacity = PoolInference.infer("mtty", List.of(type("mtty-1", 24), type("mtty-2", 12)), List.of());

        assertThat(capacity.pools()).isEqualTo(Map.of("ports", 24L));
        assertThat(costsIn(capacity, "ports")).isEqualTo(Map.of("mtty-1", 1L, "mtty-2", 2L));
        assertThat(capacity.mixedTypes()).isTrue();
        assertThat(capacity.method()).isEqualTo("maxima");
    }

    @Test
    void mbochsWithoutDescriptionsFallsBackToMaxima() {
        var capacity = PoolInference.infer("mbochs",
                List.of(type("mbochs-small", 64), type("mbochs-medium", 16), type("mbochs-large", 4)), List.of());

        assertThat(capacity.pools()).isEqualTo(Map.of("instances", 64L));
        assertThat(costsIn(capacity, "instances"))
                .isEqualTo(Map.of("mbochs-small", 1L, "mbochs-medium", 4L, "mbochs-large", 16L));
        assertThat(capacity.method()).startsWith("maxima (the description of mbochs-");
    }

    @Test
    void oneMalformedDescriptionSendsTheWholeParentToMaxima() {
        var types = List.of(
                type("i915-GVTg_V5_8", CapacityTestFiles.text("i915-GVTg_V5_8.description.txt"), 8),
                type("i915-GVTg_V5_4", "low_gm_size: 128MB\nhigh_gm_size: ???\nfence: 4\n", 4));

        var capacity = PoolInference.infer("i915", types, List.of());

        assertThat(capacity.method())
                .isEqualTo("maxima (the description of i915-GVTg_V5_4 is not in the i915-gvtg format)");
        assertThat(costsIn(capacity, "instances")).isEqualTo(Map.of("i915-GVTg_V5_8", 1L, "i915-GVTg_V5_4", 2L));
    }

    @Test
    void aTypeShowingZeroOnAnEmptyParentIsLeftOut() {
        var capacity = PoolInference.infer("acme", List.of(type("acme-small", 4), type("acme-huge", 0)), List.of());

        assertThat(capacity.costs()).containsOnlyKeys("acme-small");
        assertThat(capacity.pools()).isEqualTo(Map.of("instances", 4L));
    }

    @Test
    void anEmptyParentWhereNothingFitsHasAnEmptyPool() {
        var capacity = PoolInference.infer("acme", List.of(type("acme-a", 0), type("acme-b", 0)), List.of());

        assertThat(capacity.pools()).isEqualTo(Map.of("instances", 0L));
        assertThat(capacity.costs()).isEmpty();
    }

    @Test
    void anAbsurdLeastCommonMultipleIsRefused() {
        var types = List.of(type("acme-a", 997), type("acme-b", 991), type("acme-c", 983));

        assertThatThrownBy(() -> PoolInference.infer("acme", types, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acme-a=997").hasMessageContaining("acme-b=991")
                .hasMessageContaining("acme-c=983").hasMessageContaining("1000000")
                .hasMessageContaining("Maybe");
    }

    // --- maxima on a parent with devices

    @Test
    void mttyWithTwoDualPortDevicesIsStillA24PortPool() {
        var capacity = PoolInference.infer("mtty", List.of(type("mtty-1", 20), type("mtty-2", 10)),
                devices("mtty-2", 2));

        assertThat(capacity.pools()).isEqualTo(Map.of("ports", 24L));
        assertThat(costsIn(capacity, "ports")).isEqualTo(Map.of("mtty-1", 1L, "mtty-2", 2L));
    }

    @Test
    void prefersTheModelAnEmptyParentWouldShowOverTheSmallestPool() {
        // one mbochs-large (16 units of 4 MB) in use: 48 / 12 / 3. The smallest consistent pool is 61
        // (costs 1, 4, 13); the regular one, equal to the empty-parent inference, is 64 (costs 1, 4, 16).
        var capacity = PoolInference.infer("acme",
                List.of(type("mbochs-small", 48), type("mbochs-medium", 12), type("mbochs-large", 3)),
                devices("mbochs-large", 1));

        assertThat(capacity.pools()).isEqualTo(Map.of("instances", 64L));
        assertThat(costsIn(capacity, "instances"))
                .isEqualTo(Map.of("mbochs-small", 1L, "mbochs-medium", 4L, "mbochs-large", 16L));
    }

    @Test
    void aFullMdpyParentIsAPoolOfFourDevices() {
        var capacity = PoolInference.infer("mdpy",
                List.of(type("mdpy-vga", 0), type("mdpy-xga", 0), type("mdpy-hd", 0)), devices("mdpy-xga", 4));

        assertThat(capacity.pools()).isEqualTo(Map.of("instances", 4L));
        assertThat(costsIn(capacity, "instances")).isEqualTo(Map.of("mdpy-vga", 1L, "mdpy-xga", 1L, "mdpy-hd", 1L));
        assertThat(capacity.mixedTypes()).isTrue();
    }

    @Test
    void aFullParentOnlyRevealsItsSmallestExplanation() {
        // documented limit: twelve mtty-2 fill the 24 ports, and nothing distinguishes that from 12 equal slots
        var capacity = PoolInference.infer("mtty", List.of(type("mtty-1", 0), type("mtty-2", 0)),
                devices("mtty-2", 12));

        assertThat(capacity.pools()).isEqualTo(Map.of("ports", 12L));
        assertThat(costsIn(capacity, "ports")).isEqualTo(Map.of("mtty-1", 1L, "mtty-2", 1L));
    }

    @Test
    void aggregatedDevicesCountAllTheirInstances() {
        var capacity = PoolInference.infer("mtty", List.of(type("mtty-1", 18), type("mtty-2", 9)),
                List.of(new DeviceObservation("u1", "mtty-2", 3)));

        assertThat(capacity.pools()).isEqualTo(Map.of("ports", 24L));
        assertThat(costsIn(capacity, "ports")).isEqualTo(Map.of("mtty-1", 1L, "mtty-2", 2L));
    }

    @Test
    void otherTypesZeroedWhileHalfTheParentIsFreeMeansOneTypeAtATime() {
        var capacity = PoolInference.infer("acme",
                List.of(type("acme-1q", 23), type("acme-2q", 0), type("acme-4q", 0)), devices("acme-1q", 1));

        assertThat(capacity.mixedTypes()).isFalse();
        assertThat(capacity.costs()).containsOnlyKeys("acme-1q");
        assertThat(capacity.pools()).isEqualTo(Map.of("instances", 24L));
        assertThat(PoolInference.predictAvailable(capacity, devices("acme-1q", 2))).isEqualTo(Map.of("acme-1q", 22L));
    }

    @Test
    void theLastFreeSlotOfASharedPoolIsNotTakenAsOneTypeAtATime() {
        // 23 of 24 ports used: mtty-1 shows 1, mtty-2 shows 0 because two ports are not free
        var capacity = PoolInference.infer("mtty", List.of(type("mtty-1", 1), type("mtty-2", 0)),
                devices("mtty-1", 23));

        assertThat(capacity.mixedTypes()).isTrue();
        assertThat(capacity.pools()).isEqualTo(Map.of("ports", 24L));
        assertThat(costsIn(capacity, "ports")).isEqualTo(Map.of("mtty-1", 1L, "mtty-2", 2L));
    }

    @Test
    void observationsNoSinglePoolUnderTheLimitExplainsAreAContradiction() {
        var types = List.of(type("acme-a", 600_001), type("acme-b", 300_007));

        assertThatThrownBy(() -> PoolInference.infer("acme", types, devices("acme-b", 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acme-a: 600001 available")
                .hasMessageContaining("acme-b: 300007 available, 2 instances in use")
                .hasMessageContaining("Maybe the snapshot raced");
    }

    // --- descriptions

    @Test
    void i915PoolsAreWhatIsUsedPlusTheLargestFreeAmountAnyTypeReveals() {
        var types = List.of(
                type("i915-GVTg_V5_8", CapacityTestFiles.text("i915-GVTg_V5_8.description.txt"), 8),
                type("i915-GVTg_V5_4", CapacityTestFiles.text("i915-GVTg_V5_4.description.txt"), 4),
                type("i915-GVTg_V5_2", CapacityTestFiles.text("i915-GVTg_V5_2.description.txt"), 2),
                type("i915-GVTg_V5_1", CapacityTestFiles.text("i915-GVTg_V5_1.description.txt"), 1));

        var capacity = PoolInference.infer("i915", types, List.of());

        assertThat(capacity.pools()).isEqualTo(Map.of("low_gm", 512L, "high_gm", 3072L, "fence", 32L));
        assertThat(capacity.method()).isEqualTo("description:i915-gvtg");
    }

    @Test
    void aDescriptionModelThatContradictsAnAvailabilityNamesTheTypeAndBothValues() {
        var types = List.of(
                type("i915-GVTg_V5_8", CapacityTestFiles.text("i915-GVTg_V5_8.description.txt"), 8),
                type("i915-GVTg_V5_4", CapacityTestFiles.text("i915-GVTg_V5_4.description.txt"), 1));

        assertThatThrownBy(() -> PoolInference.infer("i915", types, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type i915-GVTg_V5_4 shows 1 available but the model predicts 4")
                .hasMessageContaining("Maybe");
    }

    @Test
    void aDescriptionParentWhoseZerosThePoolsDoNotExplainHoldsOneTypeAtATime() {
        // mbochs with one small device: 252 MB free, yet medium and large show 0
        var types = List.of(
                type("mbochs-small", CapacityTestFiles.text("mbochs-small.description.txt"), 63),
                type("mbochs-medium", CapacityTestFiles.text("mbochs-medium.description.txt"), 0),
                type("mbochs-large", CapacityTestFiles.text("mbochs-large.description.txt"), 0));

        var capacity = PoolInference.infer("mbochs", types, devices("mbochs-small", 1));

        assertThat(capacity.mixedTypes()).isFalse();
        assertThat(capacity.pools()).isEqualTo(Map.of("video_mb", 256L));
    }

    @Test
    void aDescriptionParentWhoseZerosThePoolsExplainStillMixesTypes() {
        // mbochs with 62 small devices: 8 MB free, so medium and large show 0 for want of memory
        var types = List.of(
                type("mbochs-small", CapacityTestFiles.text("mbochs-small.description.txt"), 2),
                type("mbochs-medium", CapacityTestFiles.text("mbochs-medium.description.txt"), 0),
                type("mbochs-large", CapacityTestFiles.text("mbochs-large.description.txt"), 0));

        var capacity = PoolInference.infer("mbochs", types, devices("mbochs-small", 62));

        assertThat(capacity.mixedTypes()).isTrue();
        assertThat(capacity.pools()).isEqualTo(Map.of("video_mb", 256L));
    }

    @Test
    void nvidiaEqualSizeModeLocksTheGpuToTheTypeInUse() {
        var types = List.of(
                type("nvidia-46", CapacityTestFiles.text("nvidia-46.description.txt"), 0),
                type("nvidia-47", CapacityTestFiles.text("nvidia-47.description.txt"), 11));

        var capacity = PoolInference.infer("nvidia", types, devices("nvidia-47", 1));

        assertThat(capacity.mixedTypes()).isFalse();
        assertThat(capacity.pools()).isEqualTo(Map.of("framebuffer", 24576L));
        assertThat(PoolInference.predictAvailable(capacity, List.of()))
                .isEqualTo(Map.of("nvidia-46", 24L, "nvidia-47", 12L));
    }

    @Test
    void nvidiaWithoutMaxInstanceTakesThePoolFromTheAvailabilities() {
        var types = List.of(
                type("nvidia-156", "num_heads=4, frl_config=45, framebuffer=2048M\n", 12),
                type("nvidia-46", "num_heads=4, frl_config=60, framebuffer=1024M\n", 24));

        var capacity = PoolInference.infer("NVIDIA", types, List.of());

        assertThat(capacity.pools()).isEqualTo(Map.of("framebuffer", 24576L));
        assertThat(capacity.method()).isEqualTo("description:nvidia");
    }

    // --- predictor and the kernel-lab sequence (mtty on Debian's 6.1 kernel)

    @Test
    void predictsTheMttySequenceSeenOnTheRealKernel() {
        var capacity = PoolInference.infer("mtty", List.of(type("mtty-1", 24), type("mtty-2", 12)), List.of());

        assertThat(PoolInference.predictAvailable(capacity, List.of()))
                .isEqualTo(Map.of("mtty-1", 24L, "mtty-2", 12L));
        assertThat(PoolInference.predictAvailable(capacity, devices("mtty-2", 2)))
                .isEqualTo(Map.of("mtty-1", 20L, "mtty-2", 10L));
        // after 12 mtty-2 devices the 13th has no capacity (the kernel answers ENOSPC)
        assertThat(PoolInference.predictAvailable(capacity, devices("mtty-2", 12)))
                .isEqualTo(Map.of("mtty-1", 0L, "mtty-2", 0L));
        assertThat(PoolInference.predictAvailable(capacity, devices("mtty-2", 11)).get("mtty-2")).isEqualTo(1L);
    }

    @Test
    void predictsMbochsAndMdpyAsTheRealKernelShowsThem() {
        var mbochs = PoolInference.infer("mbochs", List.of(
                type("mbochs-small", CapacityTestFiles.text("mbochs-small.description.txt"), 64),
                type("mbochs-medium", CapacityTestFiles.text("mbochs-medium.description.txt"), 16),
                type("mbochs-large", CapacityTestFiles.text("mbochs-large.description.txt"), 4)), List.of());
        var mdpy = PoolInference.infer("mdpy",
                List.of(type("mdpy-vga", 4), type("mdpy-xga", 4), type("mdpy-hd", 4)), List.of());

        assertThat(PoolInference.predictAvailable(mbochs, devices("mbochs-large", 3)))
                .isEqualTo(Map.of("mbochs-small", 16L, "mbochs-medium", 4L, "mbochs-large", 1L));
        assertThat(PoolInference.predictAvailable(mdpy, devices("mdpy-hd", 3)))
                .isEqualTo(Map.of("mdpy-vga", 1L, "mdpy-xga", 1L, "mdpy-hd", 1L));
    }

    @Test
    void predictorRejectsADeviceOfATypeTheModelCannotCreate() {
        var capacity = PoolInference.infer("acme", List.of(type("acme-small", 4), type("acme-huge", 0)), List.of());

        assertThatThrownBy(() -> PoolInference.predictAvailable(capacity, devices("acme-huge", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type acme-huge").hasMessageContaining("Maybe");
    }

    // --- malformed observations

    @Test
    void aDeviceOfATypeTheParentDoesNotOfferIsRefused() {
        assertThatThrownBy(() -> PoolInference.infer("mtty", List.of(type("mtty-1", 24)), devices("mtty-9", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type mtty-9, which the parent does not offer");
    }

    @Test
    void aTypeListedTwiceIsRefused() {
        assertThatThrownBy(() -> PoolInference.infer("mtty", List.of(type("mtty-1", 24), type("mtty-1", 24)),
                List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type mtty-1 appears twice");
    }

    @Test
    void aDeviceListedTwiceIsRefused() {
        var twice = List.of(new DeviceObservation("AB-1", "mtty-1", 1), new DeviceObservation("ab-1", "mtty-1", 1));

        assertThatThrownBy(() -> PoolInference.infer("mtty", List.of(type("mtty-1", 22)), twice))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device ab-1 appears twice");
    }
}
