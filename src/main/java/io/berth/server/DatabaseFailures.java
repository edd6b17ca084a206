package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.config.DatabaseConfig;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Says in one line why the metadata database could not be opened, from the SQL state the driver
 * reports (PostgreSQL's error codes, appendix A of its manual), naming the database by host, port,
 * database and schema, never by its password or its full JDBC URL.
 */
final class DatabaseFailures {
    private DatabaseFailures() {
    }

    static StartupException describe(BerthConfig config, RuntimeException failure) {
        String message = config.databaseSettings()
                .map(database -> "cannot open the PostgreSQL database " + describe(database) + ": " + reason(failure, database))
                .orElseGet(() -> "cannot open the SQLite database "
                        + Path.of(config.dataDir()).toAbsolutePath().normalize().resolve(BerthServer.SQLITE_FILE)
                        + ": it is damaged, locked by another program, or not a Berth database");
        return new StartupException(StartupException.Problem.DATABASE_UNAVAILABLE, message, failure);
    }

    /** {@code db.example.org:5432/berth (schema berth)}. */
    static String describe(DatabaseConfig database) {
        try {
            URI uri = URI.create(database.url().replaceFirst("^jdbc:", ""));
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            String port = uri.getPort() < 0 ? "5432" : String.valueOf(uri.getPort());
            String name = uri.getPath() == null || uri.getPath().length() <= 1 ? database.user() : uri.getPath().substring(1);
            return host + ":" + port + "/" + name + " (schema " + database.schema() + ")";
        } catch (IllegalArgumentException e) {
            return "(schema " + database.schema() + ")";
        }
    }

    private static String reason(Throwable failure, DatabaseConfig database) {
        Optional<String> state = sqlState(failure);
        if (state.isEmpty()) {
            return "the database refused it or failed (run with debug logging for the details)";
        }
        String code = state.get();
        if (code.equals("28P01")) {
            return "password authentication failed for user " + database.user() + " (check database.password)";
        }
        if (code.equals("28000")) {
            return "user " + database.user() + " may not connect (check database.user and the server's pg_hba.conf)";
        }
        if (code.equals("3D000")) {
            return "the database does not exist";
        }
        if (code.startsWith("08")) {
            return "no connection (is PostgreSQL running and reachable there?)";
        }
        if (code.startsWith("42")) {
            return "user " + database.user() + " lacks a privilege Berth needs (SQL state " + code + ")";
        }
        return "the database answered with SQL state " + code;
    }

    private static Optional<String> sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }
}
