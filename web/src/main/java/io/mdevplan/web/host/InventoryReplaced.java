package io.mdevplan.web.host;

/**
 * Fired in the transaction that replaced one host's inventory; this replica's placement index reloads the host once
 * it commits (TransactionPhase.AFTER_SUCCESS), so that a placement right after a host registers sees it. Other
 * replicas see it at their next sync.
 */
public record InventoryReplaced(long hostId) {
}
