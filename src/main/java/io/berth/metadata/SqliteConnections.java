package io.berth.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

/**
 * A fixed set of connections to one SQLite file, opened at start and kept until {@link #close()},
 * lent out first come, first served.
 *
 * <p>SQLite connections are handles on a local file: they do not go stale, time out or need
 * validating, so none of a general-purpose pool's work applies. A general pool also costs tail
 * latency here: HikariCP's return path waits, a few microseconds at a time, for a borrower to take
 * the connection over, and on virtual threads under load those short waits added up to hundreds
 * of milliseconds for about one request in a thousand (see docs/benchmarks.md).
 */
final class SqliteConnections implements Connections {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteConnections.class);

    private final List<Connection> all;
    private final BlockingQueue<Connection> idle;

    private SqliteConnections(List<Connection> all) {
        this.all = all;
        this.idle = new ArrayBlockingQueue<>(all.size(), true, all);
    }

    /** Opens {@code count} connections through {@code source}, which carries the pragmas. */
    static SqliteConnections open(SQLiteDataSource source, int count) {
        List<Connection> opened = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                opened.add(source.getConnection());
            }
        } catch (SQLException e) {
            closeAll(opened);
            throw new MetadataException("cannot open the SQLite database " + source.getUrl(), e);
        }
        return new SqliteConnections(List.copyOf(opened));
    }

    @Override
    public Connection take() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return idle.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void giveBack(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                LOG.warn("a metadata connection came back inside a transaction; rolling it back");
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.warn("cannot reset a metadata connection: {}", e.getMessage());
        }
        idle.add(connection);
    }

    /** The number of connections, lent out or not. */
    int size() {
        return all.size();
    }

    @Override
    public void close() {
        closeAll(all);
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("cannot close a SQLite connection: {}", e.getMessage());
            }
        }
    }
}
