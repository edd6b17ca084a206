package io.berth.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

/**
 * A fixed set of connections to one SQLite file, opened at start and kept until {@link #close()},
 * lent out first come, first served.
 *
 * <p>SQLite connections are handles on a local file: they do not go stale, time out or need
 * validating, so none of a general-purpose pool's work applies. A general pool also costs tail
 * latency here: HikariCP's return path waits, ten microseconds at a time, for a concurrent borrower
 * to take the connection over, and on virtual threads under load those waits added up to 50 to
 * 990 ms for a few requests in ten thousand (see docs/benchmarks.md).
 */
final class SqliteConnections implements Connections {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteConnections.class);

    private final SQLiteDataSource source;
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Connection> idle;
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    private SqliteConnections(SQLiteDataSource source, List<Connection> opened) {
        this.source = source;
        this.all.addAll(opened);
        this.idle = new ArrayBlockingQueue<>(opened.size(), true, opened);
    }

    /** Opens {@code count} connections through {@code source}, which carries the pragmas. */
    static SqliteConnections open(SQLiteDataSource source, int count) {
        List<Connection> opened = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                opened.add(source.getConnection());
            }
        } catch (SQLException e) {
            opened.forEach(SqliteConnections::closeQuietly);
            throw new MetadataException("cannot open the SQLite database " + source.getUrl(), e);
        }
        return new SqliteConnections(source, opened);
    }

    @Override
    public Connection take() {
        boolean interrupted = false;
        waiting.incrementAndGet();
        try {
            while (true) {
                try {
                    return idle.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            waiting.decrementAndGet();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Puts the connection back in line. One left inside a transaction is rolled back; one that was
     * closed is replaced, so that the set never shrinks.
     */
    @Override
    public void giveBack(Connection connection) {
        idle.add(usable(connection));
    }

    private Connection usable(Connection connection) {
        try {
            if (connection.isClosed()) {
                LOG.warn("a metadata connection came back closed; opening a new one");
                return replace(connection);
            }
            if (!connection.getAutoCommit()) {
                LOG.warn("a metadata connection came back inside a transaction; rolling it back");
                connection.rollback();
                connection.setAutoCommit(true);
            }
            return connection;
        } catch (SQLException e) {
            LOG.warn("cannot reset a metadata connection ({}); opening a new one", e.getMessage());
            return replace(connection);
        }
    }

    private Connection replace(Connection broken) {
        all.remove(broken);
        closeQuietly(broken);
        try {
            Connection fresh = source.getConnection();
            all.add(fresh);
            return fresh;
        } catch (SQLException e) {
            throw new MetadataException("cannot reopen the SQLite database " + source.getUrl(), e);
        }
    }

    /** The number of connections, lent out or not. */
    int size() {
        return all.size();
    }

    @Override
    public ConnectionUse use() {
        int total = all.size();
        return new ConnectionUse(total, Math.max(0, total - idle.size()), waiting.get());
    }

    @Override
    public void close() {
        all.forEach(SqliteConnections::closeQuietly);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("cannot close a SQLite connection: {}", e.getMessage());
        }
    }
}
