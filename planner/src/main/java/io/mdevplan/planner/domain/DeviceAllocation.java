package io.mdevplan.planner.domain;

import java.util.List;
import java.util.Map;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.entity.PlanningPin;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;

/**
 * One device: a device that exists (pinned in place mode, or when nobody listed owns it) or one a workload needs.
 * Its planning variable is the parent; null means unplaced.
 */
@PlanningEntity
public class DeviceAllocation {

    @PlanningId
    private String id;
    private Workload workload;
    private String typeId;
    private int instances;
    private String existingUuid;
    private Parent originalParent;
    private boolean pinned;
    private List<Parent> candidateParents;

    @PlanningVariable(valueRangeProviderRefs = "parents", allowsUnassigned = true)
    private Parent parent;

    /** For Timefold's cloning. */
    public DeviceAllocation() {
    }

    public DeviceAllocation(String id, Workload workload, String typeId, int instances, String existingUuid,
            Parent originalParent, boolean pinned, List<Parent> candidateParents) {
        this.id = id;
        this.workload = workload;
        this.typeId = typeId;
        this.instances = instances;
        this.existingUuid = existingUuid;
        this.originalParent = originalParent;
        this.pinned = pinned;
        this.candidateParents = candidateParents;
        this.parent = originalParent;
    }

    /** A copy with the same parent, for solution cloning: everything but the parent is shared or immutable. */
    public DeviceAllocation copy() {
        var copy = new DeviceAllocation(id, workload, typeId, instances, existingUuid, originalParent, pinned,
                candidateParents);
        copy.parent = parent;
        return copy;
    }

    public String getId() {
        return id;
    }

    /** The workload that owns the device, or null for a device nobody listed owns. */
    public Workload getWorkload() {
        return workload;
    }

    public String getTypeId() {
        return typeId;
    }

    public int getInstances() {
        return instances;
    }

    /** The UUID of the device if it exists already. */
    public String getExistingUuid() {
        return existingUuid;
    }

    /** Where the device exists now, or null for a new one. */
    public Parent getOriginalParent() {
        return originalParent;
    }

    @PlanningPin
    public boolean isPinned() {
        return pinned;
    }

    /**
     * The parents worth trying: those that offer the type with enough aggregation, on schedulable hosts matching the
     * selector, plus where the device is now. Shared between allocations of the same shape, so it costs no memory per
     * allocation. It is not Timefold's value range: per-entity ranges make Timefold compare and merge every entity's
     * list, which does not scale to 100,000 devices; the construction phase and the local search moves draw from it.
     */
    public List<Parent> getCandidateParents() {
        return candidateParents;
    }

    /** Whether the parent belongs in {@link #getCandidateParents()}, in constant time. */
    public boolean isCandidate(Parent candidate) {
        return candidate == originalParent
                || candidate.admits(typeId, instances, workload == null ? Map.of() : workload.hostSelector());
    }

    public Parent getParent() {
        return parent;
    }

    public void setParent(Parent parent) {
        this.parent = parent;
    }

    public String getAntiAffinityGroup() {
        return workload == null ? null : workload.antiAffinityGroup();
    }

    public boolean isNew() {
        return originalParent == null;
    }

    /** Placed somewhere it does not exist now: new devices, and moved ones. The rules for placing apply to these. */
    public boolean isPlacedAnew() {
        return parent != null && parent != originalParent;
    }

    /** An existing device the plan takes elsewhere or away. */
    public boolean isMoved() {
        return originalParent != null && parent != originalParent;
    }

    /** What this device uses of the given pool of its parent. */
    public long use(Pool pool) {
        var type = pool.getParent().type(typeId);
        return type == null ? 0 : type.cost(pool.getIndex()) * instances;
    }

    public long unplacedWeight() {
        return workload == null ? instances : workload.unplacedWeight();
    }

    @Override
    public String toString() {
        return id + "(" + typeId + " x" + instances + ")";
    }
}
