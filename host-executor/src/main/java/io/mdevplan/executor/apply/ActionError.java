package io.mdevplan.executor.apply;

/** Why an action is not done: the errno where the kernel gave one (null for refusals and skips) and the message. */
public record ActionError(String errno, String message) {
}
