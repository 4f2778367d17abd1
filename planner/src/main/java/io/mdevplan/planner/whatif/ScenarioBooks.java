package io.mdevplan.planner.whatif;

import java.util.ArrayList;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.placement.GreedyPlacer;
import io.mdevplan.planner.placement.ScanPlacer;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.policy.Policy;

/**
 * The books of a scenario's plan and the online placer over them (made when first needed): construction places on
 * them, the figures are read off them, growth adds to them. One set of books per plan, kept in step with every device
 * placed, so nothing is counted twice over 100,000 devices.
 */
final class ScenarioBooks {

    private final UsageLedger ledger;
    private ScanPlacer placer;

    private ScenarioBooks(UsageLedger ledger) {
        this.ledger = ledger;
    }

    /** The books of the plan as it stands. */
    static ScenarioBooks of(PlacementPlan plan) {
        return new ScenarioBooks(UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations()));
    }

    /**
     * The solver's construction phase ({@link io.mdevplan.planner.placement.GreedyConstruction}) with the online
     * placer: every device without a parent, most important first, goes where {@link ScanPlacer} puts it. That is
     * where {@link GreedyPlacer} would (OnlineScanEquivalenceTest), as is the construction phase's choice, so the plan is
     * the same (ScenarioBooksTest); but the scan settles the rules 64 parents at a time where the construction phase
     * judges candidates one by one, several times faster for thousands of new devices at 10,000 hosts.
     */
    static ScenarioBooks construct(PlacementPlan plan, Policy policy) {
        var books = of(plan);
        var unplaced = new ArrayList<DeviceAllocation>();
        for (var allocation : plan.getAllocations()) {
            if (allocation.getParent() == null && !allocation.isPinned()) {
                unplaced.add(allocation);
            }
        }
        unplaced.sort(GreedyPlacer.PLACEMENT_ORDER);
        for (var allocation : unplaced) {
            var parent = books.placer().choose(allocation, policy).parent();
            if (parent != null) {
                allocation.setParent(parent);
                books.ledger.add(allocation, parent);
            }
        }
        return books;
    }

    UsageLedger ledger() {
        return ledger;
    }

    ScanPlacer placer() {
        if (placer == null) {
            placer = new ScanPlacer(ledger);
        }
        return placer;
    }
}
