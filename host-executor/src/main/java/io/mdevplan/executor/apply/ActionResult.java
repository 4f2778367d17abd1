package io.mdevplan.executor.apply;

/** One action's outcome; {@code error} is null when it is done. */
public record ActionResult(String id, ActionStatus status, ActionError error) {

    static ActionResult done(String id) {
        return new ActionResult(id, ActionStatus.DONE, null);
    }

    static ActionResult failed(String id, String errno, String message) {
        return new ActionResult(id, ActionStatus.FAILED, new ActionError(errno, message));
    }

    static ActionResult refused(String id, String message) {
        return new ActionResult(id, ActionStatus.REFUSED, new ActionError(null, message));
    }

    static ActionResult skipped(String id, String message) {
        return new ActionResult(id, ActionStatus.SKIPPED, new ActionError(null, message));
    }
}
