package io.berth.testing;

import io.berth.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own in the test PostgreSQL database ({@code BERTH_TEST_POSTGRES_URL}, default
 * {@code 127.0.0.1:5432/test}, user {@code BERTH_TEST_POSTGRES_USER}, default {@code postgres}),
 * for the nodes of one test; Berth creates it on first use and {@link #close()} drops it.
 */
public final class PostgresqlSchema implements AutoCloseable {
    public static final String URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    public static final String PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");

    private final String name;

    private PostgresqlSchema(String name) {
        this.name = name;
    }

    /** A fresh schema name starting with {@code prefix}. */
    public static PostgresqlSchema named(String prefix) {
        return new PostgresqlSchema(prefix + UUID.randomUUID().toString().replace("-", ""));
    }

    public String name() {
        return name;
    }

    /** The database section of nodes sharing this schema, each with a pool of {@code poolSize} connections. */
    public DatabaseConfig database(int poolSize) {
        return new DatabaseConfig(URL, USER, PASSWORD, name, poolSize);
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
