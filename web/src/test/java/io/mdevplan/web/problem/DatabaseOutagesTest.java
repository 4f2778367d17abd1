package io.mdevplan.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;

import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** Which errors mean the database is away (answered 503 unavailable) and which do not (answered as before). */
class DatabaseOutagesTest {

    @Test
    void aRefusedConnectionDeepInTheCausesIsAnOutage() {
        var refused = new SQLException("Connection to localhost:5432 refused.", "08001");
        var wrapped = new PersistenceException("could not execute query", new IllegalStateException("round", refused));

        assertThat(DatabaseOutages.reason(wrapped)).contains("Connection to localhost:5432 refused.");
    }

    @Test
    void hibernatesConnectionExceptionNamesTheDriversMessage() {
        var broken = new SQLException("An I/O error occurred while sending to the backend.", "08006");

        assertThat(DatabaseOutages.reason(new JDBCConnectionException("Unable to acquire JDBC Connection", broken)))
                .contains("An I/O error occurred while sending to the backend.");
    }

    @Test
    void aServerShuttingDownAndThePoolsTimeoutAreOutages() {
        assertThat(DatabaseOutages.reason(new SQLException("terminating connection due to administrator command",
                "57P01"))).isPresent();
        assertThat(DatabaseOutages.reason(new SQLException("the database system is starting up", "57P03")))
                .isPresent();
        assertThat(DatabaseOutages.reason(new SQLException("Acquisition timeout while waiting for new connection")))
                .isPresent();
    }

    @Test
    void aConstraintViolationOrAPlainBugIsNot() {
        assertThat(DatabaseOutages.reason(new SQLException("duplicate key value", "23505"))).isEmpty();
        assertThat(DatabaseOutages.reason(new SQLException("no state"))).isEmpty();
        assertThat(DatabaseOutages.reason(new IllegalStateException("a bug"))).isEmpty();
    }
}
