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

/**
 * Metadata in a SQL database over a HikariCP pool, migrated by Flyway from the versioned scripts
 * under {@code db/migration/<dialect>}.
 */
public final class SqlMetadataStore implements MetadataStore {
    private final HikariDataSource dataSource;
    private final Clock clock;
    /** SQLite allows one writer at a time; queueing writers here avoids busy retries. */
    private final Optional<ReentrantLock> writeLock;
    /**
     * First come, first served access to the pool's connections. The pool's own hand-off favours
     * whoever asks at the right moment, which under load leaves a few requests waiting very long.
     */
    private final java.util.concurrent.Semaphore connections;

    private final SqlDialect dialect;

    private SqlMetadataStore(HikariDataSource dataSource, Clock clock, Optional<ReentrantLock> writeLock, SqlDialect dialect) {
        this.connections = new java.util.concurrent.Semaphore(dataSource.getMaximumPoolSize(), true);
        this.dataSource = dataSource;
        this.clock = clock;
        this.writeLock = writeLock;
        this.dialect = dialect;
    }

    /**
     * Opens (creating and migrating when needed) a SQLite database file in WAL mode. Every commit
     * is synced to disk before it returns, so an acknowledged push survives a crash.
     */
    public static SqlMetadataStore openSqlite(Path file, Clock clock) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("berth-sqlite");
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "FULL");
        config.addDataSourceProperty("foreign_keys", "true");
        config.addDataSourceProperty("busy_timeout", "30000");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        // A small page cache per connection: the operating system caches the file anyway.
        config.addDataSourceProperty("cache_size", "-1024");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(30_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        migrate(dataSource, "sqlite");
        return new SqlMetadataStore(dataSource, clock, Optional.of(new ReentrantLock(true)), SqlDialect.SQLITE);
    }

    /**
     * Opens a PostgreSQL database, migrating the schema {@code schema} (created when missing).
     * Many Berth nodes may share it: every change is one transaction, and concurrent writers are
     * reconciled by the database's constraints and upserts.
     */
    public static SqlMetadataStore openPostgresql(String url, String user, String password, String schema,
                                                  int poolSize, Clock clock) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("berth-postgresql");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setSchema(schema);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
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
        return new SqlMetadataStore(dataSource, clock, Optional.empty(), SqlDialect.POSTGRESQL);
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
        connections.acquireUninterruptibly();
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(new SqlSession(connection, clock, dialect, false));
        } catch (SQLException e) {
            throw new MetadataException("cannot open a metadata connection", e);
        } finally {
            connections.release();
        }
    }

    @Override
    public <T> T inTransaction(Function<MetadataSession, T> work) {
        writeLock.ifPresent(ReentrantLock::lock);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(new SqlSession(connection, clock, dialect, true));
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new MetadataException("metadata transaction failed", e);
        } finally {
            writeLock.ifPresent(ReentrantLock::unlock);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
