package io.mdevplan.planner.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Host models with exactly a given number of parents, for benchmarks that want every host of one size (online
 * placement at 8 parents per host): GPU servers, VDI servers with an iGPU and a serial console next to their GPUs, DSA
 * servers and mixed accelerator servers. Where a family runs out of addresses on a host (8 GPUs, 8 DSA devices, one
 * iGPU, one mtty), the rest of the host's parents come from another family.
 */
enum MixedHostModel {

    /** NVIDIA GPUs, then DSA devices beyond 8. */
    GPU("gpu", 35),
    /** One i915 iGPU, one mtty, then NVIDIA GPUs, then DSA devices. */
    VDI("vdi", 25),
    /** DSA devices, then NVIDIA GPUs beyond 8. */
    DSA("dsa", 20),
    /** One i915 iGPU, half the rest NVIDIA GPUs, the other half DSA devices. */
    MIXED("mixed", 20);

    private final String name;
    private final int weight;

    MixedHostModel(String name, int weight) {
        this.name = name;
        this.weight = weight;
    }

    /** How common the model is, relative to the others. */
    int weight() {
        return weight;
    }

    /** The value of the host's "model" label, e.g. {@code vdi-8p}. */
    String label(int parents) {
        return name + "-" + parents + "p";
    }

    /** The families of a host's {@code count} parents, one entry per parent, in the order the host lists them. */
    List<DriverFamily> parents(int count) {
        if (count < 1 || count > FleetGenerator.MAX_PARENTS_PER_HOST) {
            throw new IllegalArgumentException(count + " parents per host is outside 1 to "
                    + FleetGenerator.MAX_PARENTS_PER_HOST + ". Maybe use 8.");
        }
        var families = new ArrayList<DriverFamily>(count);
        switch (this) {
            case GPU -> {
                add(families, DriverFamily.NVIDIA, count);
                add(families, DriverFamily.IDXD, count - families.size());
            }
            case VDI -> {
                add(families, DriverFamily.I915, 1);
                add(families, DriverFamily.MTTY, count - families.size());
                add(families, DriverFamily.NVIDIA, count - families.size());
                add(families, DriverFamily.IDXD, count - families.size());
            }
            case DSA -> {
                add(families, DriverFamily.IDXD, count);
                add(families, DriverFamily.NVIDIA, count - families.size());
            }
            case MIXED -> {
                add(families, DriverFamily.I915, count > 1 ? 1 : 0);
                add(families, DriverFamily.NVIDIA, (count - families.size() + 1) / 2);
                add(families, DriverFamily.IDXD, count - families.size());
            }
        }
        if (families.size() != count) {
            throw new IllegalStateException("Model " + name + " made " + families.size() + " parents instead of " + count
                    + ". Maybe a family's address count changed.");
        }
        return List.copyOf(families);
    }

    /** Up to {@code wanted} parents of the family, as many as its addresses allow. */
    private static void add(List<DriverFamily> families, DriverFamily family, int wanted) {
        families.addAll(Collections.nCopies(Math.max(0, Math.min(wanted, family.maxPerHost())), family));
    }
}
