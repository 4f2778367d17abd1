package io.mdevplan.planner.whatif;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets another thread cancel a what-if run. The run checks it between steps and while it grows month by month, and
 * a cancel during local search stops the solver at once; the run then throws {@link CancellationException}. One
 * cancellation serves one run.
 */
public final class WhatIfCancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** What stops the step in progress (the solver's early termination), or null. */
    private final AtomicReference<Runnable> stopper = new AtomicReference<>();

    public static WhatIfCancellation none() {
        return new WhatIfCancellation();
    }

    /** Asks the run to stop; harmless when it has finished or was cancelled already. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            var stop = stopper.get();
            if (stop != null) {
                stop.run();
            }
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    void throwIfCancelled() {
        if (cancelled.get()) {
            throw new CancellationException("The what-if run was cancelled.");
        }
    }

    /** Runs {@code stop} on a cancel until {@link #clearStopper}; at once if the run was cancelled already. */
    void setStopper(Runnable stop) {
        stopper.set(stop);
        if (cancelled.get()) {
            stop.run();
        }
    }

    void clearStopper() {
        stopper.set(null);
    }
}
