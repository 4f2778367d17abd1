package io.mdevplan.planner.bench;

import java.util.List;

/** The kinds of host a generated fleet holds, with how common each is and the parents it carries. */
enum HostModel {

    GPU_2("gpu-2x-p40", 10, List.of(DriverFamily.NVIDIA, DriverFamily.NVIDIA)),
    GPU_4("gpu-4x-p40", 15, List.of(DriverFamily.NVIDIA, DriverFamily.NVIDIA, DriverFamily.NVIDIA,
            DriverFamily.NVIDIA)),
    GPU_8("gpu-8x-p40", 10, List.of(DriverFamily.NVIDIA, DriverFamily.NVIDIA, DriverFamily.NVIDIA,
            DriverFamily.NVIDIA, DriverFamily.NVIDIA, DriverFamily.NVIDIA, DriverFamily.NVIDIA, DriverFamily.NVIDIA)),
    IGPU("vdi-igpu", 25, List.of(DriverFamily.I915)),
    IGPU_SERIAL("vdi-igpu-serial", 5, List.of(DriverFamily.I915, DriverFamily.MTTY)),
    DSA_2("dsa-1s", 10, List.of(DriverFamily.IDXD, DriverFamily.IDXD)),
    DSA_4("dsa-1s-full", 10, List.of(DriverFamily.IDXD, DriverFamily.IDXD, DriverFamily.IDXD, DriverFamily.IDXD)),
    DSA_8("dsa-2s", 5, List.of(DriverFamily.IDXD, DriverFamily.IDXD, DriverFamily.IDXD, DriverFamily.IDXD,
            DriverFamily.IDXD, DriverFamily.IDXD, DriverFamily.IDXD, DriverFamily.IDXD)),
    SERIAL_LAB("serial-lab", 10, List.of(DriverFamily.MTTY));

    private final String label;
    private final int weight;
    private final List<DriverFamily> parents;

    HostModel(String label, int weight, List<DriverFamily> parents) {
        this.label = label;
        this.weight = weight;
        this.parents = parents;
    }

    /** The value of the host's "model" label. */
    String label() {
        return label;
    }

    /** How common the model is, relative to the others. */
    int weight() {
        return weight;
    }

    /** The families of the host's parents, one entry per parent. */
    List<DriverFamily> parents() {
        return parents;
    }
}
