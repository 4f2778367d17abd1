package io.mdevplan.executor.kernel;

import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * One boot with our own test parent mdevagg (kernel-lab/driver/mdevagg.c), which aggregates through the attribute
 * dialect (guest/aggregation.sh): the executor's aggregation path, its unwinding on ENOSPC and EINVAL, EBUSY from a
 * real VFIO open, its inventory of aggregated devices, and mdevctl starting them.
 */
@Execution(ExecutionMode.CONCURRENT) // its VM runs beside the other test boot's: one emulated CPU each
final class KernelAggregationIT {

    private static final Supplier<GuestRun> RUN = KernelLab.booting("aggregation");

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
