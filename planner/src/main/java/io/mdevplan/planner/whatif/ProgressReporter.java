package io.mdevplan.planner.whatif;

/**
 * Tells the listener where a run stands, with the time since it started. Local search finds new best scores by the
 * hundred per second at first; those are passed on at most every {@value #SCORE_INTERVAL_MILLIS} ms so that a
 * subscriber over the network is not flooded.
 */
final class ProgressReporter {

    static final long SCORE_INTERVAL_MILLIS = 100;

    private final WhatIfListener listener;
    private final long startedNanos;
    private long lastScoreMillis = -SCORE_INTERVAL_MILLIS;

    ProgressReporter(WhatIfListener listener, long startedNanos) {
        this.listener = listener;
        this.startedNanos = startedNanos;
    }

    void phase(WhatIfPhase phase, Integer unplaced) {
        listener.progress(new WhatIfProgress(phase, elapsedMillis(), null, unplaced, null));
    }

    void bestScore(String score) {
        var elapsed = elapsedMillis();
        if (elapsed - lastScoreMillis >= SCORE_INTERVAL_MILLIS) {
            lastScoreMillis = elapsed;
            listener.progress(new WhatIfProgress(WhatIfPhase.IMPROVING, elapsed, score, null, null));
        }
    }

    void month(int month) {
        listener.progress(new WhatIfProgress(WhatIfPhase.GROWING, elapsedMillis(), null, null, month));
    }

    long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
