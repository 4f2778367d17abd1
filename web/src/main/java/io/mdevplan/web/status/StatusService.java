package io.mdevplan.web.status;

import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.inject.Singleton;

import org.flywaydb.core.Flyway;

/** Reads the service's status from the database it uses. */
@Singleton
public final class StatusService {

    static final String SERVICE = "mdevplan";

    private final DataSource dataSource;
    private final String statusQuery;

    StatusService(DataSource dataSource, Flyway flyway) {
        this.dataSource = dataSource;
        // Flyway's own info() rescans the migrations and logs on every call; its history table answers directly.
        var historyTable = "\"" + flyway.getConfiguration().getTable().replace("\"", "\"\"") + "\"";
        this.statusQuery = "SELECT version(), (SELECT version FROM " + historyTable
                + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1)";
    }

    public Status status() {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery(statusQuery)) {
            rows.next();
            return new Status(SERVICE, rows.getString(1), rows.getString(2));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the status from the database: " + e.getMessage()
                    + ". Maybe the database is down or not migrated; see /q/health/ready.", e);
        }
    }
}
