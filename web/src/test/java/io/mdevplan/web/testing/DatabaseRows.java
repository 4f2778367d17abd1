package io.mdevplan.web.testing;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The service's PostgreSQL read directly with JDBC, sharing no code with the service: what a test audits. */
public record DatabaseRows(String url, String user, String password) {

    /** The database of these quarkus.datasource.* properties. */
    public static DatabaseRows of(Map<String, String> datasource) {
        return new DatabaseRows(datasource.get("quarkus.datasource.jdbc.url"),
                datasource.get("quarkus.datasource.username"),
                datasource.getOrDefault("quarkus.datasource.password", ""));
    }

    /** The first column of every row, as text. */
    public List<String> column(String sql, Object... parameters) throws SQLException {
        return rows(sql, 1, parameters).stream().map(row -> row.get(0)).toList();
    }

    /** The one value of a query that answers one row, as a long. */
    public long number(String sql, Object... parameters) throws SQLException {
        var column = column(sql, parameters);
        if (column.size() != 1) {
            throw new IllegalStateException("Expected one row of " + sql + ", got " + column
                    + ". Maybe the query lacks an aggregate.");
        }
        return Long.parseLong(column.get(0));
    }

    /** The first {@code columns} columns of every row, as text. */
    public List<List<String>> rows(String sql, int columns, Object... parameters) throws SQLException {
        try (var connection = DriverManager.getConnection(url, user, password);
                var statement = connection.prepareStatement(sql)) {
            for (var i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (var result = statement.executeQuery()) {
                var rows = new ArrayList<List<String>>();
                while (result.next()) {
                    var row = new ArrayList<String>(columns);
                    for (var c = 1; c <= columns; c++) {
                        row.add(result.getString(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}
