package io.mdevplan.web.fleet;

/**
 * Fired in the transaction that replaced the whole fleet; observers that keep a view of it rebuild once it commits
 * (TransactionPhase.AFTER_SUCCESS).
 */
public record FleetReplaced(int hosts) {
}
