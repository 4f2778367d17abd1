package io.mdevplan.planner.whatif;

import static io.mdevplan.planner.testing.Fleets.fleet;
import static io.mdevplan.planner.testing.Fleets.host;
import static io.mdevplan.planner.testing.Fleets.mtty;
import static io.mdevplan.planner.testing.Fleets.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetProblem;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.whatif.ScenarioChange.AddHosts;
import io.mdevplan.planner.whatif.ScenarioChange.AddWorkloads;
import io.mdevplan.planner.whatif.ScenarioChange.DrainHosts;
import io.mdevplan.planner.whatif.ScenarioChange.RemoveHosts;
import io.mdevplan.planner.whatif.ScenarioChange.RemoveWorkloads;
import io.mdevplan.planner.whatif.ScenarioChange.SetPolicy;
import org.junit.jupiter.api.Test;

/** Bad scenarios are refused before anything is solved, every problem at once, each with its JSON path and a fix. */
class ScenarioValidationTest {

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        var changes = new ArrayList<ScenarioChange>();
        changes.add(new AddWorkloads(0, WorkloadProfile.of("mtty-2", 1)));
        changes.add(new AddWorkloads(-3, WorkloadProfile.of("mtty-2", 1)));
        changes.add(new DrainHosts(List.of("node-99")));
        changes.add(new AddHosts(2, "node-77", Map.of()));
        changes.add(new SetPolicy("fastest"));
        changes.add(null);
        var scenario = new ScenarioDocument("bad", null, "cheapest", "sometimes", changes,
                List.of(new Growth(WorkloadProfile.of("mtty-2", 1), -1)), List.of());

        var problems = problems(scenario);

        assertThat(problems).extracting(FleetProblem::path).containsExactly("$.policy", "$.mode",
                "$.changes[0].count", "$.changes[1].count", "$.changes[2].hosts[0]", "$.changes[3].model",
                "$.changes[4].policy", "$.changes[5]", "$.growth[0].perMonth");
        assertThat(problems).allSatisfy(problem -> assertThat(problem.message()).contains("Maybe"));
        assertThat(problems.get(0).message()).contains("unknown policy", "pack, spread");
        assertThat(problems.get(2).value()).isEqualTo("0");
        assertThat(problems.get(4).message()).contains("no host node-99", "node-01");
    }

    @Test
    void aProfileTypeMustBeOfferedByTheResultingFleet() {
        // agg-4 exists, but the only parent offering it leaves with its host; nvidia-46 exists nowhere.
        var fleet = fleet(List.of(host("node-01", mtty("mtty", true)),
                host("node-02", new FleetParent("gpu", "nvidia", false,
                        Map.of("framebuffer", 8192L), List.of(new FleetType("nvidia-46", null,
                                null, Map.of("framebuffer", 1024L), null, null)), List.of()))), List.of());
        var scenario = scenario(List.of(new RemoveHosts(List.of("node-02")),
                new AddWorkloads(1, WorkloadProfile.of("nvidia-46", 1)),
                new AddWorkloads(1, WorkloadProfile.of("agg-4", 5))),
                List.of(new Growth(WorkloadProfile.of("nvidia-46", 1), 1)), List.of(WorkloadProfile.of("gpu-x", 1)));

        var problems = problems(scenario, fleet);

        assertThat(problems).extracting(FleetProblem::path).containsExactly("$.changes[1].profile.type",
                "$.changes[2].profile.instances", "$.growth[0].profile.type", "$.headroomProfiles[0].type");
        assertThat(problems.get(0).message()).contains("no parent of the resulting fleet offers this type",
                "Maybe use one of: agg-4, mtty-1, mtty-2");
        assertThat(problems.get(1).message()).contains("more than 4 instances of agg-4", "Maybe use at most 4");
    }

    @Test
    void hostsAreCheckedAsTheEarlierChangesLeftThem() {
        var scenario = scenario(List.of(new RemoveHosts(List.of("node-01", "node-01")),
                new DrainHosts(List.of("node-01")), new AddHosts(1, "node-01", null), new DrainHosts(List.of())),
                List.of(), List.of());

        var problems = problems(scenario);

        assertThat(problems).extracting(FleetProblem::path).containsExactly("$.changes[0].hosts[1]",
                "$.changes[1].hosts[0]", "$.changes[2].model", "$.changes[3].hosts");
        assertThat(problems.get(0).message()).contains("named twice");
        assertThat(problems.get(1).message()).contains("removed by change 0", "Maybe reorder the changes");
    }

    @Test
    void selectorsProfilesAndGrowthMustBeComplete() {
        var scenario = scenario(List.of(new RemoveWorkloads(new WorkloadSelector(null, null, null, null, null)),
                new RemoveWorkloads(null), new AddWorkloads(2, null),
                new AddWorkloads(1, new WorkloadProfile("mtty-2", 1, 2_000_000, Map.of("", "a"), "bad/group"))),
                List.of(new Growth(new WorkloadProfile("mtty-1", 1, 5, null, null), null), new Growth(null, 1)),
                List.of(new WorkloadProfile("mtty-1", 1, 3, null, "web")));

        var problems = problems(scenario);

        assertThat(problems).extracting(FleetProblem::path).containsExactly("$.changes[0].selector",
                "$.changes[1].selector", "$.changes[2].profile", "$.growth[0].perMonth", "$.growth[0].profile.priority",
                "$.growth[1].profile", "$.headroomProfiles[0].priority", "$.headroomProfiles[0].antiAffinityGroup",
                "$.changes[3].profile.priority", "$.changes[3].profile.antiAffinityGroup",
                "$.changes[3].profile.hostSelector");
        assertThat(problems).allSatisfy(problem -> assertThat(problem.message()).contains("Maybe"));
    }

    @Test
    void aProfileWithoutATypeIsAProblemNotACrash() {
        var scenario = scenario(List.of(new AddWorkloads(2, new WorkloadProfile(null, 1, null, null, null))),
                List.of(), List.of(new WorkloadProfile(null, null, null, null, null)));

        var problems = problems(scenario);

        assertThat(problems).extracting(FleetProblem::path).containsExactly("$.changes[0].profile.type",
                "$.headroomProfiles[0].type");
        assertThat(problems).allSatisfy(problem -> assertThat(problem.message()).contains("needs a type", "Maybe"));
    }

    @Test
    void theBaseIsEitherLiveOrEmbeddedNeverBoth() {
        var live = scenario(List.of(), List.of(), List.of());
        assertThat(catchThrowableOfType(() -> WhatIfEngine.prepare(live, "s.json", null),
                InvalidScenarioException.class).problems()).singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("$.base");
                    assertThat(problem.message()).contains("live fleet but none was given", "--fleet");
                });
        var embedded = new ScenarioDocument(null, new ScenarioBase(fleetOfOne()), null, null, List.of(), List.of(),
                List.of());
        assertThat(WhatIfEngine.prepare(embedded, "s.json", null).fleet().hosts()).hasSize(1);
        assertThat(catchThrowableOfType(() -> WhatIfEngine.prepare(embedded, "s.json", fleetOfOne()),
                InvalidScenarioException.class).problems()).extracting(FleetProblem::path).containsExactly("$.base");
    }

    @Test
    void anEmbeddedBaseIsValidatedWithPathsIntoTheScenario() {
        var broken = new FleetDocument(List.of(host("node-01", mtty("mtty", true))),
                List.of(workload("vm-1", "mtty-2", 9)));
        var scenario = new ScenarioDocument(null, new ScenarioBase(broken), null, null, List.of(), List.of(),
                List.of());

        assertThatThrownBy(() -> WhatIfEngine.prepare(scenario, "s.json", null))
                .isInstanceOf(InvalidScenarioException.class)
                .hasMessageContaining("The scenario s.json has 1 problem:")
                .hasMessageContaining("$.base.workloads[0].instances");
    }

    @Test
    void theServicesOwnPoliciesCanBeNamed() {
        var custom = new Policy("gold", "test", Map.of("parents-in-use", 5L));
        var scenario = new ScenarioDocument(null, null, "gold", null, List.of(), List.of(), List.of());
        assertThat(WhatIfEngine.prepare(scenario, "s", fleetOfOne(), List.of(custom)).policy()).isEqualTo(custom);
        assertThat(catchThrowableOfType(() -> WhatIfEngine.prepare(scenario, "s", fleetOfOne()),
                InvalidScenarioException.class).problems()).extracting(FleetProblem::path).containsExactly("$.policy");
    }

    private static FleetDocument fleetOfOne() {
        return fleet(List.of(host("node-01", mtty("mtty", true))), List.of());
    }

    private static ScenarioDocument scenario(List<ScenarioChange> changes, List<Growth> growth,
            List<WorkloadProfile> headroom) {
        return new ScenarioDocument("test", null, null, null, changes, growth, headroom);
    }

    private static List<FleetProblem> problems(ScenarioDocument scenario) {
        return problems(scenario, WhatIfEngineTest.fleetA());
    }

    private static List<FleetProblem> problems(ScenarioDocument scenario, FleetDocument fleet) {
        return catchThrowableOfType(() -> WhatIfEngine.prepare(scenario, "test", fleet),
                InvalidScenarioException.class).problems();
    }
}
