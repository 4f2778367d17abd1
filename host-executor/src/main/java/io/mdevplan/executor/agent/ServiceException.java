package io.mdevplan.executor.agent;

/**
 * The service did not answer as asked: {@code status} is the HTTP status, or 0 when no answer came at all (refused
 * connection, timeout). The message carries the service's problem detail when it sent one.
 */
public final class ServiceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    ServiceException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Worth trying again later: no answer, a server error, or the service busy or limiting. */
    public boolean retryable() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
