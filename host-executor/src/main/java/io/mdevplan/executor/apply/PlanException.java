package io.mdevplan.executor.apply;

/** A plan file that cannot be read as a plan at all; the message names the file, the JSON path and a fix. */
public final class PlanException extends Exception {

    private static final long serialVersionUID = 1L;

    public PlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
