package io.mdevplan.planner.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import io.mdevplan.planner.whatif.ScenarioChange.AddWorkloads;
import org.junit.jupiter.api.Test;

/** The engine reports its phases to a listener and stops when cancelled. */
class WhatIfProgressTest {

    @Test
    void phasesArriveInOrderWithTheMonthsGrown() {
        var events = new ArrayList<WhatIfProgress>();
        var scenario = scenario(List.of(new AddWorkloads(1, WorkloadProfile.of("mtty-1", 1))), 2);

        WhatIfEngine.run(prepare(scenario), Duration.ofSeconds(1), events::add, WhatIfCancellation.none());

        // Everything fits, so no local search; two growth profiles are simulated month by month until month 11.
        assertThat(events).extracting(WhatIfProgress::phase).startsWith(WhatIfPhase.BUILDING,
                WhatIfPhase.CONSTRUCTING, WhatIfPhase.ANALYSING, WhatIfPhase.GROWING).endsWith(WhatIfPhase.DONE)
                .doesNotContain(WhatIfPhase.IMPROVING);
        assertThat(events).extracting(WhatIfProgress::month).filteredOn(month -> month != null)
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(events).extracting(WhatIfProgress::elapsedMillis).isSorted();
    }

    @Test
    void localSearchReportsItsBestScoreWhenSomethingIsLeftOut() {
        var events = new ArrayList<WhatIfProgress>();
        // 40 mtty-2 need 80 ports; fleet A has 65 free.
        var scenario = scenario(List.of(new AddWorkloads(40, WorkloadProfile.of("mtty-2", 1))), 0);

        var result = WhatIfEngine.run(prepare(scenario), Duration.ofSeconds(1), events::add, WhatIfCancellation.none());

        assertThat(result.solve().localSearch()).isTrue();
        assertThat(events).filteredOn(event -> event.phase() == WhatIfPhase.IMPROVING).first()
                .satisfies(event -> assertThat(event.unplaced()).isPositive());
        assertThat(events).filteredOn(event -> event.bestScore() != null)
                .allSatisfy(event -> assertThat(event.bestScore()).contains("hard/"));
    }

    @Test
    void aCancelledRunThrows() {
        var cancelled = new WhatIfCancellation();
        cancelled.cancel();
        assertThatThrownBy(() -> WhatIfEngine.run(prepare(scenario(List.of(), 0)), Duration.ofSeconds(1),
                WhatIfListener.NONE, cancelled)).isInstanceOf(CancellationException.class);
    }

    @Test
    void aCancelWhileGrowingStopsAtTheNextMonth() {
        var cancellation = new WhatIfCancellation();
        var months = new ArrayList<Integer>();
        WhatIfListener listener = progress -> {
            if (progress.month() != null) {
                months.add(progress.month());
                if (progress.month() == 3) {
                    cancellation.cancel();
                }
            }
        };

        assertThatThrownBy(() -> WhatIfEngine.run(prepare(scenario(List.of(), 2)), Duration.ofSeconds(1), listener,
                cancellation)).isInstanceOf(CancellationException.class);
        assertThat(months).containsExactly(1, 2, 3);
    }

    @Test
    void aCancelDuringLocalSearchStopsTheSolver() {
        var cancellation = new WhatIfCancellation();
        WhatIfListener listener = progress -> {
            if (progress.phase() == WhatIfPhase.IMPROVING) {
                cancellation.cancel();
            }
        };
        var scenario = scenario(List.of(new AddWorkloads(40, WorkloadProfile.of("mtty-2", 1))), 0);

        assertThatThrownBy(() -> WhatIfEngine.run(prepare(scenario), Duration.ofMinutes(5), listener, cancellation))
                .isInstanceOf(CancellationException.class);
        assertThat(cancellation.isCancelled()).isTrue();
    }

    /** Fleet A with the changes, and two mtty profiles growing by {@code perMonth} each in zones a and b. */
    private static ScenarioDocument scenario(List<ScenarioChange> changes, int perMonth) {
        return new ScenarioDocument("progress", null, null, null, changes, List.of(
                new Growth(new WorkloadProfile("mtty-2", 1, null, Map.of("zone", "a"), null), perMonth),
                new Growth(new WorkloadProfile("mtty-1", 1, null, Map.of("zone", "b"), null), perMonth)), List.of());
    }

    private static PreparedScenario prepare(ScenarioDocument scenario) {
        return WhatIfEngine.prepare(scenario, "test", WhatIfEngineTest.fleetA());
    }
}
