package io.mdevplan.planner.whatif;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.Workload;
import io.mdevplan.planner.explain.UnplacedExplainer;
import io.mdevplan.planner.headroom.HeadroomCalculator;
import io.mdevplan.planner.placement.ScanPlacer;
import io.mdevplan.planner.policy.Policy;

/**
 * The time to exhaustion: month after month the growth workloads arrive and are placed on the scenario's books one at
 * a time, as online placement would place them (the policy's greedy choice, {@link ScanPlacer}), never moving what is
 * there; the first month in which one is refused is the answer. The books carry over from month to month, so nothing
 * is solved again.
 *
 * <p>When a single profile grows and it has no anti-affinity group, the answer follows from its headroom H alone: each
 * workload placed, wherever it goes, lowers H by exactly one (its parent's pools lose one device's worth and no other
 * parent changes), so the first refusal comes with workload H + 1, in month H / perMonth + 1.
 */
final class GrowthSimulator {

    private GrowthSimulator() {
    }

    /** Grows the books; call it last, the books then hold the grown workloads. */
    static WhatIfResult.Exhaustion exhaustion(PlacementPlan plan, ScenarioBooks books, Policy policy,
            List<Growth> growth, int horizon, WhatIfCancellation cancellation, ProgressReporter progress) {
        var headroom = new long[growth.size()];
        var growing = new ArrayList<Integer>();
        for (var g = 0; g < growth.size(); g++) {
            var profile = growth.get(g).profile();
            headroom[g] = HeadroomCalculator.headroom(plan, books.ledger(), profile.type(), profile.instancesOrOne(),
                    profile.hostSelector()).total();
            if (growth.get(g).perMonth() > 0) {
                growing.add(g);
            }
        }
        var placed = new long[growth.size()];
        if (growing.isEmpty()) {
            return result(null, null, "the scenario gives no growth", horizon, growth, headroom, placed);
        }
        if (growing.size() == 1 && growth.get(growing.get(0)).profile().antiAffinityGroup() == null) {
            return closedForm(growing.get(0), horizon, growth, headroom, placed);
        }
        return simulate(books, policy, growth, horizon, growing, cancellation, progress, headroom, placed);
    }

    private static WhatIfResult.Exhaustion closedForm(int g, int horizon, List<Growth> growth, long[] headroom,
            long[] placed) {
        var perMonth = growth.get(g).perMonth();
        var month = headroom[g] / perMonth + 1;
        var profile = growth.get(g).profile();
        if (month > horizon) {
            placed[g] = (long) horizon * perMonth;
            return result(null, null, fitFor(horizon, placed[g]), horizon, growth, headroom, placed);
        }
        placed[g] = headroom[g];
        return result((int) month, profile, String.format(Locale.ROOT, "the fleet has room for %,d more %s after the "
                + "scenario; at %,d a month that room is used up in month %d. Maybe add parents that offer %s, or "
                + "free capacity.", headroom[g], profile.label(), perMonth, month, profile.type()), horizon, growth,
                headroom, placed);
    }

    /** Month by month; within a month the profiles take turns, one workload each, as arrivals would mix. */
    private static WhatIfResult.Exhaustion simulate(ScenarioBooks books, Policy policy, List<Growth> growth,
            int horizon, List<Integer> growing, WhatIfCancellation cancellation, ProgressReporter progress,
            long[] headroom, long[] placed) {
        var placer = books.placer();
        var arrived = 0L;
        for (var month = 1; month <= horizon; month++) {
            cancellation.throwIfCancelled();
            progress.month(month);
            var left = new int[growth.size()];
            var remaining = 0L;
            for (var g : growing) {
                left[g] = growth.get(g).perMonth();
                remaining += left[g];
            }
            while (remaining > 0) {
                for (var g : growing) {
                    if (left[g] == 0) {
                        continue;
                    }
                    left[g]--;
                    remaining--;
                    var profile = growth.get(g).profile();
                    var id = "growth-" + g + "-" + ++arrived;
                    var workload = new Workload(id, profile.type(), profile.instancesOrOne(), 0,
                            profile.antiAffinityGroup(), profile.hostSelector());
                    var device = new DeviceAllocation(id, workload, profile.type(), profile.instancesOrOne(), null, null,
                            false, List.of());
                    var choice = placer.choose(device, policy);
                    if (choice.parent() == null) {
                        return result(month, profile, profile.label() + ": "
                                + UnplacedExplainer.describe(device, choice.refusals()), horizon, growth, headroom,
                                placed);
                    }
                    device.setParent(choice.parent());
                    books.ledger().add(device, choice.parent());
                    placed[g]++;
                }
            }
        }
        var total = 0L;
        for (var count : placed) {
            total += count;
        }
        return result(null, null, fitFor(horizon, total), horizon, growth, headroom, placed);
    }

    private static String fitFor(int horizon, long placed) {
        return String.format(Locale.ROOT, "all %,d grown workloads fit for %d months", placed, horizon);
    }

    private static WhatIfResult.Exhaustion result(Integer month, WorkloadProfile profile, String reason, int horizon,
            List<Growth> growth, long[] headroom, long[] placed) {
        var lines = new ArrayList<WhatIfResult.GrowthLine>(growth.size());
        for (var g = 0; g < growth.size(); g++) {
            lines.add(new WhatIfResult.GrowthLine(growth.get(g).profile(), growth.get(g).perMonth(), headroom[g],
                    placed[g]));
        }
        return new WhatIfResult.Exhaustion(month, profile, reason, horizon, lines);
    }
}
