package io.mdevplan.web.dispatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mdevplan.executor.agent.Agent;
import io.mdevplan.executor.agent.AgentLog;
import io.mdevplan.executor.agent.AgentSettings;
import io.mdevplan.executor.agent.ServiceClient;
import io.mdevplan.executor.apply.PlanApplier;
import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.inventory.HostInventory;
import io.mdevplan.executor.simulation.KillingFiles;
import io.mdevplan.executor.simulation.SimulatedKernel;
import io.mdevplan.executor.sysfs.SysfsLayout;
import io.mdevplan.web.placement.PlacementView;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The host executor's agent against the real service, killed before any write of its work and started again: it
 * converges with the service. No orphan device, no lost action, no action applied twice, and the placements' states
 * and the host's devices agree.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ExecutorConvergenceTest {

    private static final Path ROOT = Path.of("/sim");
    private static final String HOST = "conv-01";
    private static final String DSA = "0000:6a:01.0";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI service;

    @Inject
    TestData data;

    private final SysfsLayout layout = new SysfsLayout(ROOT);
    private final SimulatedKernel kernel = new SimulatedKernel(ROOT).addIdxd(DSA).addMtty();
    private final StringWriter log = new StringWriter();
    private final List<Running> agents = new ArrayList<>();
    /** The agent's own token: an executor's, bound to HOST, as in production. */
    private String executorToken;

    private record Running(Agent agent, Thread thread, AtomicReference<Throwable> end) {

        boolean killed() {
            return !thread.isAlive() && end.get() instanceof KillingFiles.Killed;
        }
    }

    @BeforeEach
    void reset() throws Exception {
        data.reset();
        kernel.writeRegularFile(layout.hostnameFile(), HOST + "\n");
        executorToken = given().contentType(ContentType.JSON)
                .body(Map.of("name", "agent-" + UUID.randomUUID(), "role", "executor", "host", HOST))
                .post("/api/v1/tokens")
                .then().statusCode(201)
                .extract().path("secret");
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (var running : agents) {
            running.agent().stop();
            running.thread().join(PATIENCE.toMillis());
        }
    }

    /**
     * The agent's writes, in order: vm-1's create, aggregation attribute and definition (1-3), vm-2's create and
     * definition (4, 5), vm-3's create with its aggregate parameter and definition (6, 7); after vm-2 is released,
     * its remove and its definition's delete (8, 9).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void killedBeforeAnyWriteAndStartedAgainTheAgentConvergesWithTheService(int killAtWrite) throws Exception {
        var running = start(new KillingFiles(kernel, killAtWrite));
        // the agent logs this once the service answered its PUT, after the service's index took the host in
        await("the host registered", () -> log.toString().contains("Inventory registered"));
        var vm1 = place("vm-1", "idxd-dsa-1dwq-v1", 3);
        var vm2 = place("vm-2", "mtty-2", 1);
        var vm3 = place("vm-3", "idxd-dsa-1swq-v1", 2);

        running = restartIfKilled(running, () -> active("vm-1", "vm-2", "vm-3"));
        await("all three active", () -> active("vm-1", "vm-2", "vm-3"));
        given().delete("/api/v1/placements/vm-2").then().statusCode(200);
        restartIfKilled(running, this::noPendingActions);
        await("no pending action", this::noPendingActions);

        assertThat(kernel.deviceUuids()).containsExactlyInAnyOrder(vm1.uuid(), vm3.uuid());
        assertThat(kernel.read(layout.deviceFile(vm1.uuid(), "mdev/aggregation")).map(String::strip)).contains("3");
        assertThat(kernel.read(layout.deviceFile(vm3.uuid(), "aggregated_instances")).map(String::strip))
                .contains("2");
        for (var uuid : List.of(vm1.uuid(), vm2.uuid(), vm3.uuid())) {
            assertThat(kernel.writeLog()).as("creates of %s", uuid)
                    .filteredOn(write -> write.contains("/create " + uuid)).hasSize(1);
        }
        assertThat(kernel.read(layout.definition(DSA, vm1.uuid()))).isPresent();
        assertThat(kernel.read(layout.definition(DSA, vm3.uuid()))).isPresent();
        assertThat(kernel.read(layout.definition("mtty", vm2.uuid()))).isEmpty();
        assertThat(data.column("SELECT a.op || ' ' || a.state || ' ' || p.workload || ' ' || p.state FROM host_actions a"
                + " JOIN placements p ON p.id = a.placement_id ORDER BY a.id")).containsExactly(
                        "create done vm-1 active", "create done vm-2 released", "create done vm-3 active",
                        "remove done vm-2 released");
    }

    /** When the agent was killed, starts another on the files beneath; answers the agent now running. */
    private Running restartIfKilled(Running running, BooleanSupplier done) throws InterruptedException {
        await("the work done or the agent killed", () -> running.killed() || done.getAsBoolean());
        if (!running.killed()) {
            return running;
        }
        assertThat(log.toString()).doesNotContain("ERROR");
        return start(kernel);
    }

    private Running start(SysfsFiles files) {
        var settings = new AgentSettings(service, HOST, executorToken, Duration.ofMillis(500), Duration.ofMillis(200),
                Duration.ofMillis(500), true);
        var agent = new Agent(settings, new ServiceClient(settings), () -> new HostInventory(layout, files).read(HOST),
                new PlanApplier(layout, files, true), new AgentLog(new PrintWriter(log)), "test");
        var end = new AtomicReference<Throwable>();
        var thread = new Thread(() -> {
            try {
                agent.run();
            } catch (Throwable e) {
                end.set(e);
            }
        }, "agent-" + agents.size());
        thread.start();
        var running = new Running(agent, thread, end);
        agents.add(running);
        return running;
    }

    private static PlacementView place(String workload, String type, int instances) {
        return given().contentType(ContentType.JSON).body(Map.of("workload", workload, "type", type, "instances",
                instances)).post("/api/v1/placements").then().log().ifValidationFails().statusCode(201).extract().as(PlacementView.class);
    }

    private boolean active(String... workloads) {
        for (var workload : workloads) {
            if (!"active".equals(given().get("/api/v1/placements/" + workload).then().extract().path("state"))) {
                return false;
            }
        }
        return true;
    }

    private boolean noPendingActions() {
        return data.count("SELECT count(*) FROM host_actions WHERE state = 'pending'") == 0;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        var deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", PATIENCE, what).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
