package io.mdevplan.planner.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DescriptionParsersTest {

    @ParameterizedTest
    @CsvSource({
            "i915-GVTg_V5_8, 64, 384",
            "i915-GVTg_V5_4, 128, 512",
            "i915-GVTg_V5_2, 256, 1024",
            "i915-GVTg_V5_1, 512, 2048"})
    void readsTheRealI915Descriptions(String type, long lowGm, long highGm) {
        var description = CapacityTestFiles.text(type + ".description.txt");

        assertThat(DescriptionParsers.i915Gvtg(description))
                .contains(Map.of("low_gm", lowGm, "high_gm", highGm, "fence", 4L));
    }

    @Test
    void i915ToleratesWhitespaceCrLfUnknownKeysAndNoTrailingNewline() {
        // "aggregation: no" is printed by kernels patched for the 2020 aggregation proposal
        var description = "  LOW_GM_SIZE :  64 MB\r\nhigh_gm_size: 384MB\r\n\r\nfence:4\nresolution: 1024x768\n"
                + "weight: 2\naggregation: no";

        assertThat(DescriptionParsers.i915Gvtg(description))
                .contains(Map.of("low_gm", 64L, "high_gm", 384L, "fence", 4L));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "high_gm_size: 384MB\nfence: 4\n",                                  // low_gm_size missing
            "low_gm_size: 64MB\nhigh_gm_size: 384MB\n",                         // fence missing
            "low_gm_size: lots\nhigh_gm_size: 384MB\nfence: 4\n",               // not a number
            "low_gm_size: 64KB\nhigh_gm_size: 384MB\nfence: 4\n",               // unknown unit
            "low_gm_size: 0MB\nhigh_gm_size: 384MB\nfence: 4\n",                // zero
            "low_gm_size: -64MB\nhigh_gm_size: 384MB\nfence: 4\n",              // negative
            "low_gm_size: 64MB\nhigh_gm_size: 384MB\nfence: 99999999999\n",     // absurd
            "low_gm_size: 64MB\nlow_gm_size: 128MB\nhigh_gm_size: 384MB\nfence: 4\n", // contradicts itself
            "num_heads=4, frl_config=60, framebuffer=1024M, max_instance=24"})  // another driver's format
    void i915RejectsWhatItCannotTrust(String description) {
        assertThat(DescriptionParsers.i915Gvtg(description)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void everyParserRejectsAMissingDescription(String description) {
        assertThat(DescriptionParsers.i915Gvtg(description)).isEmpty();
        assertThat(DescriptionParsers.nvidiaVgpu(description)).isEmpty();
        assertThat(DescriptionParsers.nvidiaMaxInstance(description)).isEmpty();
        assertThat(DescriptionParsers.mbochs(description)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "nvidia-46, 1024, 24",
            "nvidia-47, 2048, 12",
            "nvidia-48, 3072, 8",
            "nvidia-49, 4096, 6",
            "nvidia-53, 24576, 1",
            "nvidia-524, 1024, 32"})
    void readsTheRealNvidiaDescriptions(String type, long framebuffer, long maxInstance) {
        var description = CapacityTestFiles.text(type + ".description.txt");

        assertThat(DescriptionParsers.nvidiaVgpu(description)).contains(Map.of("framebuffer", framebuffer));
        assertThat(DescriptionParsers.nvidiaMaxInstance(description)).isEqualTo(OptionalLong.of(maxInstance));
    }

    @Test
    void nvidiaAcceptsGibibytesAndADescriptionWithoutMaxInstance() {
        var description = "num_heads=4,frl_config=45,  framebuffer = 2G \n";

        assertThat(DescriptionParsers.nvidiaVgpu(description)).contains(Map.of("framebuffer", 2048L));
        assertThat(DescriptionParsers.nvidiaMaxInstance(description)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "num_heads=4, frl_config=60, max_resolution=5120x2880, max_instance=24",
            "num_heads=4, framebuffer=big, max_instance=24",
            "num_heads=4, framebuffer=0M, max_instance=24",
            "low_gm_size: 64MB\nhigh_gm_size: 384MB\nfence: 4\n"})
    void nvidiaRejectsADescriptionWithoutAUsableFramebuffer(String description) {
        assertThat(DescriptionParsers.nvidiaVgpu(description)).isEmpty();
    }

    @Test
    void nvidiaIgnoresAnUnreadableMaxInstance() {
        assertThat(DescriptionParsers.nvidiaMaxInstance("framebuffer=1024M, max_instance=many")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"mbochs-small, 4", "mbochs-medium, 16", "mbochs-large, 64"})
    void readsTheRealMbochsDescriptions(String type, long videoMb) {
        var description = CapacityTestFiles.text(type + ".description.txt");

        assertThat(DescriptionParsers.mbochs(description)).contains(Map.of("video_mb", videoMb));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mdpy-vga", "mdpy-xga", "mdpy-hd"})
    void mdpyDescriptionsNameNoResource(String type) {
        var description = CapacityTestFiles.text(type + ".description.txt");

        assertThat(DescriptionParsers.mbochs(description)).isEmpty();
        assertThat(DescriptionParsers.i915Gvtg(description)).isEmpty();
        assertThat(DescriptionParsers.nvidiaVgpu(description)).isEmpty();
    }

    @Test
    void mbochsRejectsZeroVideoMemory() {
        assertThat(DescriptionParsers.mbochs("virtual display, 0 MB video memory\n")).isEmpty();
    }
}
