package io.mdevplan.planner.placement;

import java.util.ArrayList;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.api.solver.phase.PhaseCommand;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.policy.Policy;

/**
 * The solver's construction phase: every unplaced device, most important first, goes where {@link GreedyPlacer} would
 * put it (computed by {@link ConstructionChooser}, which makes the same choices faster). It looks only at each
 * device's candidate parents and never breaks a hard rule, which lets it build a first plan for 10,000 hosts in seconds
 * where a generic construction heuristic would try every parent for every device. It always finishes, whatever the
 * time limit: a plan that leaves out what the greedy placer would place is no answer, and the limit is meant for
 * improving the plan (a batch asking for 100 ms must still get its requests placed).
 */
public final class GreedyConstruction implements PhaseCommand<PlacementPlan> {

    private static final String VARIABLE = "parent";

    private final Policy policy;

    public GreedyConstruction(Policy policy) {
        this.policy = policy;
    }

    /**
     * Places, on a problem no solver holds yet, what the phase would place: a solve whose time limit runs out before
     * its first phase starts (building the solver took it all) still answers this plan.
     */
    public static void construct(PlacementPlan plan, Policy policy) {
        place(plan, policy, DeviceAllocation::setParent);
    }

    @Override
    public void changeWorkingSolution(ScoreDirector<PlacementPlan> scoreDirector, BooleanSupplier isPhaseTerminated) {
        place(scoreDirector.getWorkingSolution(), policy, (allocation, parent) -> {
            scoreDirector.beforeVariableChanged(allocation, VARIABLE);
            allocation.setParent(parent);
            scoreDirector.afterVariableChanged(allocation, VARIABLE);
        });
        scoreDirector.triggerVariableListeners();
    }

    private static void place(PlacementPlan plan, Policy policy, BiConsumer<DeviceAllocation, Parent> assign) {
        var ledger = UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations());
        var placer = new ConstructionChooser(ledger, policy);
        var unplaced = new ArrayList<DeviceAllocation>();
        for (var allocation : plan.getAllocations()) {
            if (allocation.getParent() == null && !allocation.isPinned()) {
                unplaced.add(allocation);
            }
        }
        unplaced.sort(GreedyPlacer.PLACEMENT_ORDER);
        for (var allocation : unplaced) {
            var parent = placer.choose(allocation);
            if (parent != null) {
                assign.accept(allocation, parent);
                ledger.add(allocation, parent);
            }
        }
    }
}
