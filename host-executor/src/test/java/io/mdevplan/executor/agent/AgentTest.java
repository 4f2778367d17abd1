package io.mdevplan.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mdevplan.executor.apply.PlanApplier;
import io.mdevplan.executor.files.Errno;
import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.inventory.HostInventory;
import io.mdevplan.executor.simulation.KillingFiles;
import io.mdevplan.executor.simulation.SimulatedKernel;
import io.mdevplan.executor.sysfs.SysfsLayout;

class AgentTest {

    private static final Path ROOT = Path.of("/sim");
    private static final String HOST = "node-01";
    private static final String IDXD = "0000:6a:01.0";
    private static final String UUID_A = "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b";
    private static final String UUID_B = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private static final String UUID_C = "11111111-2222-4333-8444-555555555555";
    private static final String DEDICATED_QUEUE = "idxd-dsa-1dwq-v1";
    private static final String SHARED_QUEUE = "idxd-dsa-1swq-v1";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final SysfsLayout layout = new SysfsLayout(ROOT);
    private final SimulatedKernel kernel = new SimulatedKernel(ROOT).addMtty().addIdxd(IDXD);
    private final StringWriter log = new StringWriter();
    private final List<Running> running = new ArrayList<>();
    private FakeService service;

    /** An agent on its own thread, and what ended it. */
    private record Running(Agent agent, Thread thread, AtomicReference<Throwable> end) {
    }

    @BeforeEach
    void start() throws Exception {
        kernel.writeRegularFile(layout.hostnameFile(), HOST + "\n");
        service = new FakeService(HOST);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (var agent : running) {
            agent.agent().stop();
            agent.thread().join(PATIENCE.toMillis());
        }
        service.close();
    }

    private Running run(SysfsFiles files) {
        return run(files, new PrintWriter(log));
    }

    private Running run(SysfsFiles files, PrintWriter logWriter) {
        var settings = new AgentSettings(service.uri(), HOST, "t0ken", Duration.ofMillis(200),
                Duration.ofMillis(100), Duration.ofMillis(200), true);
        var agent = new Agent(settings, new ServiceClient(settings), () -> new HostInventory(layout, files).read(HOST),
                new PlanApplier(layout, files, true), new AgentLog(logWriter), "test");
        var end = new AtomicReference<Throwable>();
        var thread = new Thread(() -> {
            try {
                agent.run();
            } catch (Throwable e) {
                end.set(e);
            }
        }, "agent");
        thread.start();
        var started = new Running(agent, thread, end);
        running.add(started);
        return started;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        var deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", PATIENCE, what).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private String status(String id) {
        var results = service.results().get(id);
        return results == null ? null : results.get(0).path("status").asText();
    }

    private long createWrites(String uuid) {
        return kernel.writeLog().stream().filter(write -> write.contains("/create " + uuid)).count();
    }

    @Test
    void registersTheInventoryThenAppliesActionsAndStoresEachResult() throws Exception {
        run(kernel);
        await("the inventory", () -> !service.inventories().isEmpty());
        assertThat(service.inventories().get(0).path("name").asText()).isEqualTo(HOST);
        assertThat(service.inventories().get(0).path("parents")).hasSize(2);

        service.queue("1", "create", UUID_A, "mtty", "mtty-2", 1).queue("2", "create", UUID_B, IDXD, SHARED_QUEUE, 1);
        await("both results", () -> service.results().size() == 2);

        assertThat(status("1")).isEqualTo("done");
        assertThat(status("2")).isEqualTo("done");
        assertThat(service.results().get("1").get(0).has("error")).isFalse();
        assertThat(kernel.deviceUuids()).containsExactlyInAnyOrder(UUID_A, UUID_B);
        await("the inventory with both devices", () -> devicesReported() == 2);
    }

    private int devicesReported() {
        var inventories = service.inventories();
        if (inventories.isEmpty()) {
            return -1;
        }
        var last = inventories.get(inventories.size() - 1);
        var devices = 0;
        for (var parent : last.path("parents")) {
            devices += parent.path("devices").size();
        }
        return devices;
    }

    @Test
    void aFailedCreateIsStoredWithItsErrnoAndTheSkippedActionsComeBackInTheNextPlan() throws Exception {
        kernel.failWrite("sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1/create", 1, Errno.ENOSPC);
        service.queue("1", "create", UUID_A, "mtty", "mtty-1", 1).queue("2", "create", UUID_B, "mtty", "mtty-2", 1);
        run(kernel);
        await("both results", () -> service.results().size() == 2);

        var failed = service.results().get("1").get(0);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").path("errno").asText()).isEqualTo("ENOSPC");
        assertThat(failed.path("error").path("message").asText()).isNotBlank();
        assertThat(status("2")).isEqualTo("done");
        assertThat(service.results().get("2")).hasSize(1);
        assertThat(kernel.deviceUuids()).containsExactly(UUID_B);
    }

    @Test
    void aRefusedActionIsStoredAsFailedWithoutErrnoAndNothingOfItsPlanIsWrittenWithIt() throws Exception {
        service.queue("1", "create", UUID_A, "0000:ff:00.0", "mtty-1", 1).queue("2", "create", UUID_B, "mtty",
                "mtty-1", 1);
        run(kernel);
        await("both results", () -> service.results().size() == 2);

        var refused = service.results().get("1").get(0);
        assertThat(refused.path("status").asText()).isEqualTo("failed");
        assertThat(refused.path("error").has("errno")).isFalse();
        assertThat(refused.path("error").path("message").asText()).contains("0000:ff:00.0")
                .contains("not on this host");
        assertThat(status("2")).isEqualTo("done");
        assertThat(kernel.deviceUuids()).containsExactly(UUID_B);
    }

    @Test
    void registersOnceTheServiceAnswersAndStoresAResultItFailedToTakeAtFirstExactlyOnce() throws Exception {
        service.failInventories(3).failResults(2).queue("1", "create", UUID_A, "mtty", "mtty-1", 1);
        run(kernel);
        await("the result", () -> status("1") != null);

        assertThat(service.results().get("1")).hasSize(1);
        assertThat(service.resultPosts()).isEqualTo(3);
        assertThat(createWrites(UUID_A)).isEqualTo(1);
        assertThat(log.toString()).contains("answered 503: busy");
    }

    @Test
    void sendsHeartbeatsWithItsVersionAndStartAndRegistersAgainWhenTheServiceForgotTheHost() throws Exception {
        run(kernel);
        await("a heartbeat", () -> !service.heartbeats().isEmpty());
        var heartbeat = service.heartbeats().get(0);
        assertThat(heartbeat.path("executorVersion").asText()).isEqualTo("test");
        assertThat(heartbeat.path("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        var registered = service.inventories().size();
        service.forgetHost(1);
        await("a second registration", () -> service.inventories().size() > registered);
        assertThat(service.inventories().get(registered)).isEqualTo(service.inventories().get(0));

        var again = service.inventories().size();
        service.askInventory(1);
        await("a registration asked for", () -> service.inventories().size() > again);
    }

    @Test
    void reportsDriftWhenADeviceVanishesBehindItsBack() throws Exception {
        service.drift(UUID_C);
        service.queue("1", "create", UUID_A, "mtty", "mtty-1", 1);
        run(kernel);
        await("the device reported", () -> devicesReported() == 1);
        var reports = service.inventories().size();

        kernel.write(layout.removeFile(UUID_A), "1");
        await("the re-read reported", () -> service.inventories().size() > reports);
        assertThat(devicesReported()).isZero();
        assertThat(log.toString()).contains("Drift: " + UUID_C + " on mtty: unplaced by mdevplan");
    }

    /**
     * Killed before each write of a plan (1: the create, 2: the aggregation attribute, 3: the definition; 4, 5: the
     * next create and definition; 6: the remove, 7: its definition's delete), then started again: every action is
     * stored once, as done, and the host holds exactly the devices the plan leaves, each created once.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void killedAtAnyWriteAndStartedAgainItConvergesWithoutOrphansOrDoubles(int killAtWrite) throws Exception {
        kernel.write(layout.createFile("mtty", "mtty-1"), UUID_C);
        kernel.writeRegularFile(layout.definition("mtty", UUID_C), "{\"mdev_type\": \"mtty-1\", \"start\": \"auto\"}");
        service.queue("1", "create", UUID_A, IDXD, DEDICATED_QUEUE, 4).queue("2", "create", UUID_B, "mtty", "mtty-2", 1)
                .queue("3", "remove", UUID_C, null, null, null);
        var first = run(new KillingFiles(kernel, killAtWrite));
        first.thread().join(PATIENCE.toMillis());
        assertThat(first.end().get()).isInstanceOf(KillingFiles.Killed.class);

        run(kernel);
        await("every result", () -> service.results().size() == 3);
        assertThat(service.results().values()).allSatisfy(results -> {
            assertThat(results).hasSize(1);
            assertThat(results.get(0).path("status").asText()).isEqualTo("done");
        });
        assertThat(kernel.deviceUuids()).containsExactlyInAnyOrder(UUID_A, UUID_B);
        assertThat(kernel.read(layout.deviceFile(UUID_A, "mdev/aggregation")).map(String::strip)).contains("4");
        assertThat(createWrites(UUID_A)).isEqualTo(1);
        assertThat(createWrites(UUID_B)).isEqualTo(1);
        assertThat(kernel.read(layout.definition(IDXD, UUID_A))).isPresent();
        assertThat(kernel.read(layout.definition("mtty", UUID_B))).isPresent();
        assertThat(kernel.read(layout.definition("mtty", UUID_C))).isEmpty();
    }

    /** Killed after the writes, before the results were stored: started again, it stores them, writing nothing. */
    @Test
    void killedBeforeTheResultsWereStoredItStoresThemWithoutApplyingTwice() throws Exception {
        service.failResults(Integer.MAX_VALUE).queue("1", "create", UUID_A, IDXD, SHARED_QUEUE, 2);
        var first = run(kernel);
        await("a result posted", () -> service.resultPosts() > 0);
        first.agent().stop();
        first.thread().join(PATIENCE.toMillis());
        assertThat(service.results()).isEmpty();
        var writes = kernel.writeLog().size();

        service.failResults(0);
        run(kernel);
        await("the result", () -> status("1") != null);
        assertThat(status("1")).isEqualTo("done");
        assertThat(kernel.writeLog()).hasSize(writes);
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
    }

    /** The kill that ends the agent in the middle of its log: an Error no code of the agent catches. */
    private static final class KilledWhileLogging extends Error {

        private static final long serialVersionUID = 1L;

        KilledWhileLogging(String line) {
            super("killed while logging " + line);
        }
    }

    /**
     * The agent's log, killing it at the first line that contains {@code marker}: the agent logs each result just
     * before it stores it, so a kill there falls after the plan's last write and before that result is stored.
     */
    private PrintWriter killingLogAt(String marker) {
        return new PrintWriter(log) {
            @Override
            public void println(String line) {
                if (line.contains(marker)) {
                    throw new KilledWhileLogging(line);
                }
                super.println(line);
            }
        };
    }

    /**
     * Killed ({@code kill -9}, not stopped) after every write of the plan, before the result of action 1, 2 or 3 is
     * stored (those before it are), then started again: every result is stored exactly once, as done, and nothing
     * is written again.
     */
    @ParameterizedTest(name = "killed before storing the result of action {0}")
    @ValueSource(strings = {"1", "2", "3"})
    void killedAfterTheLastWriteBeforeAResultIsStoredItStoresEachResultOnceWritingNothingAgain(String killedAt)
            throws Exception {
        kernel.write(layout.createFile("mtty", "mtty-1"), UUID_C);
        kernel.writeRegularFile(layout.definition("mtty", UUID_C), "{\"mdev_type\": \"mtty-1\", \"start\": \"auto\"}");
        service.queue("1", "create", UUID_A, IDXD, DEDICATED_QUEUE, 4).queue("2", "create", UUID_B, "mtty", "mtty-2", 1)
                .queue("3", "remove", UUID_C, null, null, null);
        var first = run(kernel, killingLogAt("Action " + killedAt + " done."));
        first.thread().join(PATIENCE.toMillis());
        assertThat(first.end().get()).isInstanceOf(KilledWhileLogging.class);
        assertThat(service.results()).hasSize(Integer.parseInt(killedAt) - 1);
        var writes = kernel.writeLog().size();

        run(kernel);
        await("every result", () -> service.results().size() == 3);

        assertThat(service.results().values()).allSatisfy(results -> {
            assertThat(results).hasSize(1);
            assertThat(results.get(0).path("status").asText()).isEqualTo("done");
        });
        assertThat(kernel.writeLog()).hasSize(writes);
        assertThat(kernel.deviceUuids()).containsExactlyInAnyOrder(UUID_A, UUID_B);
    }

    @Test
    void stopsAtOnceDuringALongPoll() throws Exception {
        var agent = run(kernel);
        await("the inventory", () -> !service.inventories().isEmpty());
        agent.agent().stop();
        agent.thread().join(PATIENCE.toMillis());
        assertThat(agent.thread().isAlive()).isFalse();
        assertThat(agent.end().get()).isNull();
        assertThat(log.toString()).contains("Stopped.");
    }
}
