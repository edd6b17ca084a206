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

    private SqlMetadataStore(HikariDataSource dataSource, Clock clock, Optional<ReentrantLock> writeLock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.writeLock = writeLock;
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
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(30_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        migrate(dataSource, "sqlite");
        return new SqlMetadataStore(dataSource, clock, Optional.of(new ReentrantLock(true)));
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
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(new SqlSession(connection, clock));
        } catch (SQLException e) {
            throw new MetadataException("cannot open a metadata connection", e);
        }
    }

    @Override
    public <T> T inTransaction(Function<MetadataSession, T> work) {
        writeLock.ifPresent(ReentrantLock::lock);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(new SqlSession(connection, clock));
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
