package io.mdevplan.planner.service;

/**
 * A call to the mdevplan service that did not give what was asked: the service refused it (with its problem detail),
 * could not be reached, or answered something else than the API. {@code badInput} says whether the caller's input or
 * token is what to fix (the service answered 4xx) rather than the service or the network.
 */
public final class ServiceCallException extends RuntimeException {

    private final boolean badInput;

    ServiceCallException(String message, boolean badInput, Throwable cause) {
        super(message, cause);
        this.badInput = badInput;
    }

    public boolean badInput() {
        return badInput;
    }
}
