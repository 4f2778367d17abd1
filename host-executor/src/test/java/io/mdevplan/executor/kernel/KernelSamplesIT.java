package io.mdevplan.executor.kernel;

import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * One boot of Debian's kernel with the kernel's sample parents mtty, mbochs and mdpy (guest/samples.sh): the
 * executor's inventory, apply with many creates and removes, ENOSPC, EEXIST, refusals, idempotence, the pool
 * prediction after every create and remove, and Debian's mdevctl on the executor's definitions.
 */
@Execution(ExecutionMode.CONCURRENT) // its VM runs beside the other test boot's: one emulated CPU each
final class KernelSamplesIT {

    private static final Supplier<GuestRun> RUN = KernelLab.booting("samples");

    @Test
    void theGuestScriptRanToItsEnd() {
        RUN.get().assertRanToItsEnd();
    }

    @TestFactory
    Stream<DynamicTest> guestChecks() {
        return RUN.get().checkTests();
    }

    @TestFactory
    Stream<DynamicTest> poolPrediction() {
        return SnapshotChecks.poolPrediction(RUN.get());
    }

    @TestFactory
    Stream<DynamicTest> inventoryEqualsTheKernel() {
        return SnapshotChecks.inventoryMatchesKernel(RUN.get());
    }
}
