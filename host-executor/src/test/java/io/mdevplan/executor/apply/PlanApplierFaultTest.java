package io.mdevplan.executor.apply;

import static io.mdevplan.executor.apply.PlanApplierTest.GPU;
import static io.mdevplan.executor.apply.PlanApplierTest.INTERRUPTED_PLAN;
import static io.mdevplan.executor.apply.PlanApplierTest.INTERRUPTED_PLAN_WRITES;
import static io.mdevplan.executor.apply.PlanApplierTest.ROOT;
import static io.mdevplan.executor.apply.PlanApplierTest.UUID_C;
import static io.mdevplan.executor.apply.PlanApplierTest.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.mdevplan.executor.files.Errno;
import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.simulation.KillingFiles;
import io.mdevplan.executor.simulation.SimulatedKernel;
import io.mdevplan.executor.sysfs.SysfsLayout;

/**
 * The kernel refusing each write of a plan in turn, with each errno a driver answers (EINVAL, EEXIST, ENOSPC,
 * EBUSY): the failing action is unwound and reported with the errno, the capacity in use is what it was before that
 * action, and the same plan applied again once the fault is gone converges to what one clean run leaves.
 * <p>
 * The plan is {@link PlanApplierTest#INTERRUPTED_PLAN}: r1 removes a device (writes 1: remove, 2: its definition's
 * deletion); a1 creates in the attribute dialect with two attributes (3: create, 4: mdev/aggregation, 5, 6: the
 * attributes, 7: the definition); a2 creates in the create-parameter dialect (8, 9); a3 is plain (10, 11).
 */
class PlanApplierFaultTest {

    private static final List<Errno> DRIVER_ERRNOS = List.of(Errno.EINVAL, Errno.EEXIST, Errno.ENOSPC, Errno.EBUSY);
    /** The plan's action that makes each write, by the write's number counted from 1 (index 0 unused). */
    private static final int[] ACTION_OF_WRITE = {-1, 0, 0, 1, 1, 1, 1, 1, 2, 2, 3, 3};
    /** The writes a create makes after its device exists: a failure there must remove the device again. */
    private static final List<Integer> WRITES_AFTER_A_CREATE = List.of(4, 5, 6, 7, 9, 11);

    private final SysfsLayout layout = new SysfsLayout(ROOT);

    /** The host before the plan: the device r1 removes, defined, on the GPU. */
    private SimulatedKernel kernelBeforeThePlan() {
        var kernel = PlanApplierTest.newKernel();
        assertThat(apply(kernel, create("a0", UUID_C, GPU, "i915-GVTg_V5_4", null)).exitCode()).isZero();
        return kernel;
    }

    private ApplyReport apply(SysfsFiles files, PlanAction... actions) {
        return new PlanApplier(layout, files, true).apply(new Plan("node-01", List.of(actions)));
    }

    /** The host after a clean run of the plan's first {@code count} actions. */
    private SimulatedKernel kernelAfterActions(int count) {
        var kernel = kernelBeforeThePlan();
        if (count > 0) {
            assertThat(apply(kernel, Arrays.copyOf(INTERRUPTED_PLAN, count)).exitCode()).isZero();
        }
        return kernel;
    }

    static Stream<Arguments> everyWriteWithEveryErrno() {
        assertThat(ACTION_OF_WRITE).hasSize(INTERRUPTED_PLAN_WRITES + 1);
        return IntStream.rangeClosed(1, INTERRUPTED_PLAN_WRITES).boxed()
                .flatMap(write -> DRIVER_ERRNOS.stream().map(errno -> Arguments.of(write, errno)));
    }

    @ParameterizedTest(name = "write {0} fails with {1}")
    @MethodSource("everyWriteWithEveryErrno")
    void aFailedWriteIsUnwoundReportedAndTheSamePlanConvergesOnceTheFaultIsGone(int failingWrite, Errno errno) {
        var kernel = kernelBeforeThePlan();
        kernel.failWrite(".*", failingWrite, errno);
        var failing = ACTION_OF_WRITE[failingWrite];

        var report = apply(kernel, INTERRUPTED_PLAN);

        var statuses = report.results().stream().map(ActionResult::status).toList();
        for (var i = 0; i < INTERRUPTED_PLAN.length; i++) {
            var expected = i < failing ? ActionStatus.DONE : i == failing ? ActionStatus.FAILED : ActionStatus.SKIPPED;
            assertThat(statuses.get(i)).as("action %s", INTERRUPTED_PLAN[i].id()).isEqualTo(expected);
        }
        var error = report.results().get(failing).error();
        assertThat(error.errno()).isEqualTo(errno.name());
        assertThat(error.message()).contains(errno.name()).contains(errno.strerror()).contains("Maybe");
        if (WRITES_AFTER_A_CREATE.contains(failingWrite)) {
            assertThat(error.message()).contains("was removed again");
        }
        assertThat(report.exitCode()).isEqualTo(ApplyReport.EXIT_FAILED);
        // the host is as the actions before the failing one left it, and so are the books of every pool; but a
        // removed device cannot come back, so a remove whose definition could not be deleted is half done
        var expected = kernelAfterActions(failing);
        if (failingWrite == 2) {
            writeRemove(expected, UUID_C);
        }
        assertThat(TreeSnapshot.of(layout, kernel)).isEqualTo(TreeSnapshot.of(layout, expected));
        assertThat(kernel.poolUse()).isEqualTo(expected.poolUse());

        var writesBefore = kernel.writeLog().size();
        var again = apply(kernel, INTERRUPTED_PLAN);

        assertThat(again.results()).extracting(ActionResult::status).containsOnly(ActionStatus.DONE);
        assertThat(TreeSnapshot.of(layout, kernel)).isEqualTo(TreeSnapshot.of(layout, kernelAfterActions(
                INTERRUPTED_PLAN.length)));
        var writesAgain = kernel.writeLog().subList(writesBefore, kernel.writeLog().size());
        for (var i = 0; i < INTERRUPTED_PLAN.length; i++) {
            var action = INTERRUPTED_PLAN[i];
            if (action.op().equals("create")) {
                // each device the first run did not leave is created once, none it left is created again
                assertThat(writesAgain.stream().filter(write -> write.contains("/create " + action.uuid())))
                        .as("creates of %s", action.id()).hasSize(i < failing ? 0 : 1);
            }
        }
    }

    static Stream<Arguments> writesAfterACreate() {
        return WRITES_AFTER_A_CREATE.stream().map(Arguments::of);
    }

    /**
     * The write after a create fails and so does the removal that unwinds it (a VM opened the device meanwhile): the
     * report says so and how to finish by hand, and the same plan applied again finishes the half-made device.
     */
    @ParameterizedTest(name = "write {0} and its unwinding fail")
    @MethodSource("writesAfterACreate")
    void aHalfMadeDeviceWhoseUnwindingFailedIsFinishedByTheSamePlan(int failingWrite) {
        var kernel = kernelBeforeThePlan();
        // the second write to a remove file: r1's is the first
        kernel.failWrite(".*", failingWrite, Errno.EINVAL).failWrite(".*/remove", 2, Errno.EBUSY);
        var failing = INTERRUPTED_PLAN[ACTION_OF_WRITE[failingWrite]];

        var report = apply(kernel, INTERRUPTED_PLAN);

        var error = report.results().get(ACTION_OF_WRITE[failingWrite]).error();
        assertThat(error.errno()).isEqualTo("EINVAL");
        assertThat(error.message()).contains("failed too").contains("EBUSY")
                .contains("echo 1 > " + layout.removeFile(failing.uuid()));
        assertThat(kernel.deviceUuids()).contains(failing.uuid());

        var again = apply(kernel, INTERRUPTED_PLAN);

        assertThat(again.results()).extracting(ActionResult::status).containsOnly(ActionStatus.DONE);
        assertThat(TreeSnapshot.of(layout, kernel)).isEqualTo(TreeSnapshot.of(layout, kernelAfterActions(
                INTERRUPTED_PLAN.length)));
    }

    /**
     * The write after a create fails and the executor is killed before the removal that unwinds it: started again,
     * the same plan finishes the device the kill left half made.
     */
    @ParameterizedTest(name = "write {0} fails, killed before its unwinding")
    @MethodSource("writesAfterACreate")
    void killedWhileUnwindingTheSamePlanConverges(int failingWrite) {
        var kernel = kernelBeforeThePlan();
        kernel.failWrite(".*", failingWrite, Errno.ENOSPC);

        assertThatThrownBy(() -> apply(new KillingFiles(kernel, failingWrite + 1), INTERRUPTED_PLAN))
                .isInstanceOf(KillingFiles.Killed.class).hasMessageContaining("/remove");
        var again = apply(kernel, INTERRUPTED_PLAN);

        assertThat(again.results()).extracting(ActionResult::status).containsOnly(ActionStatus.DONE);
        assertThat(TreeSnapshot.of(layout, kernel)).isEqualTo(TreeSnapshot.of(layout, kernelAfterActions(
                INTERRUPTED_PLAN.length)));
    }

    private void writeRemove(SimulatedKernel kernel, String uuid) {
        try {
            kernel.write(layout.removeFile(uuid), "1");
        } catch (SysfsWriteException e) {
            throw new AssertionError(e);
        }
    }
}
