package io.mdevplan.planner.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import io.mdevplan.planner.whatif.WhatIfResult;

/** A what-if result as people read it: the figures first, then the longest lists cut to their first lines. */
final class WhatIfText {

    /** Lines shown of a list (unplaced workloads, plan actions); the JSON result has them all. */
    static final int SHOWN = 20;

    private final StringBuilder text = new StringBuilder();

    private WhatIfText() {
    }

    static String of(WhatIfResult result) {
        var report = new WhatIfText();
        report.write(result);
        return report.text.toString();
    }

    private void write(WhatIfResult result) {
        line("What-if %s: policy %s, %s mode", result.name() == null ? "(unnamed)" : "\"" + result.name() + "\"",
                result.policy(), result.mode());
        if (!result.changes().isEmpty()) {
            line("Changes:");
            for (var c = 0; c < result.changes().size(); c++) {
                var change = result.changes().get(c);
                line("  %d %s: %s", c, change.op(), change.summary());
            }
        }
        line("Workloads: %,d in the scenario, %,d placed, %,d unplaced", result.workloads(), result.placed(),
                result.unplaced().size());
        for (var profile : result.profiles()) {
            line("  %s x%d: %,d of %,d placed", profile.type(), profile.instances(), profile.placed(),
                    profile.workloads());
        }
        list("Unplaced", result.unplaced(), unplaced -> line("  %s (%s x%d): %s", unplaced.workload(), unplaced.type(),
                unplaced.instances(), unplaced.reason()));
        var plan = result.plan();
        line("Plan against today: %,d creates, %,d moves, %,d removes, %,d devices kept, %,d unmovable",
                plan.creates(), plan.moves(), plan.removes(), plan.keeps(), plan.unmovable());
        list(null, plan.actions(), action -> line("  %s %s (%s x%d)%s%s: %s", action.action(),
                action.workload() == null ? "device " + action.uuid() : action.workload(), action.type(),
                action.instances(), action.from() == null ? "" : " from " + action.from(),
                action.to() == null ? "" : " to " + action.to(), action.reason()));
        if (!result.headroom().isEmpty()) {
            line("Headroom (how many more fit):");
            result.headroom().forEach(headroom -> line("  %s x%d%s: %,d more, on %,d %s", headroom.type(),
                    headroom.instances(), selector(headroom.hostSelector()), headroom.total(), headroom.hosts(),
                    headroom.hosts() == 1 ? "host" : "hosts"));
        }
        if (!result.fragmentation().isEmpty()) {
            line("Fragmentation (free units on parents where not even one more fits):");
            for (var fragmentation : result.fragmentation()) {
                var pools = new StringBuilder();
                fragmentation.pools().forEach(pool -> pools.append(String.format(Locale.ROOT, "; %s %,d of %,d free "
                        + "(%.1f%%)", pool.pool(), pool.stranded(), pool.free(), pool.strandedShare() * 100)));
                line("  %s x%d%s: %,d of %,d parents without room%s", fragmentation.type(), fragmentation.instances(),
                        selector(fragmentation.hostSelector()), fragmentation.parentsWithoutRoom(),
                        fragmentation.parents(), pools);
            }
        }
        var exhaustion = result.exhaustion();
        line("Exhaustion: %s", exhaustion.month() == null ? "none within " + exhaustion.horizonMonths() + " months ("
                + exhaustion.reason() + ")" : "month " + exhaustion.month() + ": " + exhaustion.reason());
        exhaustion.growth().forEach(growth -> line("  %s: %,d a month, headroom %,d, %,d grown placed",
                growth.profile().label(), growth.perMonth(), growth.headroom(), growth.placed()));
        var metrics = result.metrics();
        line("Use: %,d of %,d hosts and %,d of %,d parents hold devices", metrics.hostsInUse(), metrics.hosts(),
                metrics.parentsInUse(), metrics.parents());
        metrics.pools().forEach(pool -> line("  %s: %,d of %,d used (%.1f%%)", pool.pool(), pool.used(),
                pool.capacity(), pool.usedShare() * 100));
        var solve = result.solve();
        line("Solved in %.2f s (local search %s), figures %.2f s, growth %.2f s", (solve.buildMillis()
                + solve.constructionMillis() + solve.localSearchMillis()) / 1000.0, solve.localSearch()
                        ? String.format(Locale.ROOT, "on %,d hosts to %s", solve.searchedHosts(), solve.score())
                        : "not needed", solve.analysisMillis() / 1000.0, solve.growthMillis() / 1000.0);
    }

    /** The first {@link #SHOWN} lines of a list, under a heading that says how many there are. */
    private <T> void list(String heading, List<T> items, Consumer<T> writer) {
        if (items.isEmpty()) {
            return;
        }
        if (heading != null) {
            line("%s (%,d%s):", heading, items.size(), items.size() > SHOWN ? ", the first " + SHOWN + " shown" : "");
        } else if (items.size() > SHOWN) {
            line("  (the first %d of %,d shown)", SHOWN, items.size());
        }
        items.stream().limit(SHOWN).forEach(writer);
    }

    private static String selector(Map<String, String> selector) {
        var text = new StringBuilder();
        selector.forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
        return text.toString();
    }

    private void line(String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
