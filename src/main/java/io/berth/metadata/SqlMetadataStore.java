package io.berth.metadata;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Metadata in a SQL database, migrated by Flyway from the versioned scripts under
 * {@code db/migration/<dialect>}: SQLite through a fixed set of connections to its file,
 * PostgreSQL through a HikariCP pool.
 */
public final class SqlMetadataStore implements MetadataStore {
    /** Connections to a SQLite file: readers run side by side in WAL mode, writers one at a time. */
    static final int SQLITE_CONNECTIONS = 8;

    private final Connections connections;
    private final Clock clock;
    /** SQLite allows one writer at a time; queueing writers here avoids busy retries. */
    private final Optional<ReentrantLock> writeLock;
    private final SqlDialect dialect;

    private SqlMetadataStore(Connections connections, Clock clock, Optional<ReentrantLock> writeLock, SqlDialect dialect) {
        this.connections = connections;
        this.clock = clock;
        this.writeLock = writeLock;
        this.dialect = dialect;
    }

    /**
     * Opens (creating and migrating when needed) a SQLite database file in WAL mode. Every commit
     * is synced to disk before it returns, so an acknowledged push survives a crash.
     */
    public static SqlMetadataStore openSqlite(Path file, Clock clock) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(30_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // A small page cache per connection: the operating system caches the file anyway.
        config.setCacheSize(-1024);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        migrate(source, "sqlite");
        return new SqlMetadataStore(SqliteConnections.open(source, SQLITE_CONNECTIONS), clock,
                Optional.of(new ReentrantLock(true)), SqlDialect.SQLITE);
    }

    /**
     * One connection straight from the driver before the pool is built: a server that is down, or
     * refuses the user or the password, fails here with the driver's SQL state, and without the
     * pool's own error log (a stack trace) of the same failure.
     */
    private static void probePostgresql(String url, String user, String password) {
        java.util.Properties credentials = new java.util.Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        try (Connection probe = new org.postgresql.Driver().connect(url, credentials)) {
            if (probe == null) {
                throw new MetadataException("not a PostgreSQL JDBC URL", new SQLException("not a PostgreSQL URL", "08001"));
            }
        } catch (SQLException e) {
            throw new MetadataException("cannot connect to PostgreSQL", e);
        }
    }

    /**
     * Opens a PostgreSQL database, migrating the schema {@code schema} (created when missing).
     * Many Berth nodes may share it: every change is one transaction, and concurrent writers are
     * reconciled by the database's constraints and upserts. The pool keeps {@code poolSize}
     * connections open, as HikariCP recommends.
     */
    public static SqlMetadataStore openPostgresql(String url, String user, String password, String schema,
                                                  int poolSize, Clock clock) {
        probePostgresql(url, user, password);
        HikariConfig config = new HikariConfig();
        config.setPoolName("berth-postgresql");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setSchema(schema);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setConnectionTimeout(30_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .schemas(schema)
                    .createSchemas(true)
                    .locations("classpath:db/migration/postgresql")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new SqlMetadataStore(new PooledConnections(dataSource), clock, Optional.empty(), SqlDialect.POSTGRESQL);
    }

    private static void migrate(DataSource dataSource, String dialect) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + dialect)
                .load()
                .migrate();
    }

    @Override
    public <T> T read(Function<MetadataSession, T> work) {
        Connection connection = connections.take();
        try {
            return work.apply(new SqlSession(connection, clock, dialect, false));
        } finally {
            connections.giveBack(connection);
        }
    }

    @Override
    public <T> T inTransaction(Function<MetadataSession, T> work) {
        return inTransaction(work, SqlDialect.Unsynced.NONE);
    }

    @Override
    public <T> T inUnsyncedTransaction(Function<MetadataSession, T> work) {
        return inTransaction(work, dialect.unsynced());
    }

    private <T> T inTransaction(Function<MetadataSession, T> work, SqlDialect.Unsynced relax) {
        writeLock.ifPresent(ReentrantLock::lock);
        try {
            Connection connection = connections.take();
            try {
                return inTransaction(connection, work, relax);
            } finally {
                connections.giveBack(connection);
            }
        } finally {
            writeLock.ifPresent(ReentrantLock::unlock);
        }
    }

    /** Runs {@code work} in one transaction, with {@code relax}'s statements around it (none for a synced one). */
    private <T> T inTransaction(Connection connection, Function<MetadataSession, T> work, SqlDialect.Unsynced relax) {
        try {
            execute(connection, relax.before());
            connection.setAutoCommit(false);
            try {
                execute(connection, relax.first());
                T result = work.apply(new SqlSession(connection, clock, dialect, true));
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
                execute(connection, relax.after());
            }
        } catch (SQLException e) {
            throw new MetadataException("metadata transaction failed", e);
        }
    }

    private static void execute(Connection connection, Optional<String> sql) throws SQLException {
        if (sql.isPresent()) {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute(sql.get());
            }
        }
    }

    /** How the connections are used now, for monitoring. */
    public ConnectionUse connectionUse() {
        return connections.use();
    }

    @Override
    public void close() {
        connections.close();
    }
}
