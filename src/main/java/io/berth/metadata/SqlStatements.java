package io.berth.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Runs named SQL statements on one connection; the name appears in every error, so a failing
 * statement is obvious in the log.
 */
final class SqlStatements {
    private final Connection connection;

    SqlStatements(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** Sets a statement's parameters. */
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Turns a result set into a value. */
    interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Turns the current row into a value. */
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Reads every row with {@code mapper}, in order. */
    static <T> RowReader<java.util.List<T>> allRows(RowMapper<T> mapper) {
        return rows -> {
            java.util.List<T> values = new java.util.ArrayList<>();
            while (rows.next()) {
                values.add(mapper.map(rows));
            }
            return values;
        };
    }

    /** Reads the first column of every row as a string. */
    static final RowReader<java.util.List<String>> STRINGS = allRows(row -> row.getString(1));

    /** Reads the first column of the one row an aggregate query returns; empty when it is NULL. */
    static final RowReader<java.util.OptionalLong> AGGREGATE_LONG = rows -> {
        rows.next();
        long value = rows.getLong(1);
        return rows.wasNull() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(value);
    };

    /** Binds nothing. */
    static final Binder NO_PARAMETERS = statement -> {
    };

    <T> T query(String name, String sql, Binder binder, RowReader<T> reader) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new MetadataException(name + " failed", e);
        }
    }

    /** Sets a statement's parameters for one item of a batch. */
    interface ItemBinder<T> {
        void bind(PreparedStatement statement, T item) throws SQLException;
    }

    /** Runs {@code sql} once per item as one JDBC batch; returns the rows changed in all. */
    <T> long updateEach(String name, String sql, java.util.Collection<T> items, ItemBinder<T> binder) {
        if (items.isEmpty()) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(statement, item);
                statement.addBatch();
            }
            long changed = 0;
            for (int count : statement.executeBatch()) {
                changed += Math.max(count, 0);
            }
            return changed;
        } catch (SQLException e) {
            throw new MetadataException(name + " failed", e);
        }
    }

    int update(String name, String sql, Binder binder) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new MetadataException(name + " failed", e);
        }
    }
}
