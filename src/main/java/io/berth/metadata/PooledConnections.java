package io.berth.metadata;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections to a database server from a HikariCP pool, which validates, replaces and retires
 * them. A fair semaphore with one permit per pooled connection orders the callers: the pool's own
 * hand-off favours whoever asks at the right moment, which under load leaves a few requests
 * waiting very long.
 */
final class PooledConnections implements Connections {
    private static final Logger LOG = LoggerFactory.getLogger(PooledConnections.class);

    private final HikariDataSource pool;
    private final Semaphore permits;

    PooledConnections(HikariDataSource pool) {
        this.pool = pool;
        this.permits = new Semaphore(pool.getMaximumPoolSize(), true);
    }

    @Override
    public Connection take() {
        permits.acquireUninterruptibly();
        try {
            return pool.getConnection();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw new MetadataException("cannot open a metadata connection", e);
        }
    }

    @Override
    public void giveBack(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("cannot return a metadata connection to the pool: {}", e.getMessage());
        } finally {
            permits.release();
        }
    }

    @Override
    public ConnectionUse use() {
        int total = pool.getMaximumPoolSize();
        return new ConnectionUse(total, total - permits.availablePermits(), permits.getQueueLength());
    }

    @Override
    public void close() {
        pool.close();
    }
}
