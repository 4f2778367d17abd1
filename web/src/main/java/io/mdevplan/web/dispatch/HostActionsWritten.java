package io.mdevplan.web.dispatch;

import java.util.Set;

/** Fired in the transaction that wrote actions for these hosts; observed once it commits, to wake their long polls. */
public record HostActionsWritten(Set<Long> hostIds) {

    public HostActionsWritten {
        hostIds = Set.copyOf(hostIds);
    }
}
