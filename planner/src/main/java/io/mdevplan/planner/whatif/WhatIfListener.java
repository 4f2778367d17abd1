package io.mdevplan.planner.whatif;

/**
 * Told of a what-if run's progress, on the thread that runs it (during local search, on the solver's thread), so it
 * must return quickly: the service forwards each event to its subscribers (server-sent events).
 */
@FunctionalInterface
public interface WhatIfListener {

    WhatIfListener NONE = progress -> {
    };

    void progress(WhatIfProgress progress);
}
