package io.mdevplan.web.problem;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

import org.hibernate.exception.JDBCConnectionException;

/**
 * Tells an error that means the database cannot be reached now (stopped, restarting, the network between) from
 * every other: the request may succeed when it is back, so it is answered 503, not 500.
 */
public final class DatabaseOutages {

    /** admin_shutdown, crash_shutdown, cannot_connect_now: the server is stopping or starting. */
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutages() {
    }

    /** What the driver or the pool said, when the error (or a cause of it) is the database being unreachable. */
    public static Optional<String> reason(Throwable error) {
        for (var cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof JDBCConnectionException connection) {
                return Optional.of(message(connection.getSQLException() == null ? connection
                        : connection.getSQLException()));
            }
            if (cause instanceof SQLException sql && unreachable(sql)) {
                return Optional.of(message(sql));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    private static boolean unreachable(SQLException sql) {
        var state = sql.getSQLState();
        // the pool's own timeout carries no SQL state: every connection it tried to make was refused
        return state == null ? sql.getMessage() != null && sql.getMessage().startsWith("Acquisition timeout")
                : state.startsWith("08") || SHUTDOWN_STATES.contains(state);
    }

    private static String message(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
