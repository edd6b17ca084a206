package io.berth.metadata;

import java.sql.Connection;

/**
 * Where {@link SqlMetadataStore} gets a connection for one unit of work and gives it back. Callers
 * are served first come, first served: under load no request waits behind later ones.
 */
sealed interface Connections extends AutoCloseable permits PooledConnections, SqliteConnections {

    /** Blocks until a connection is free. Every connection taken must be given back. */
    Connection take();

    /** Gives back a connection from {@link #take()}, in auto-commit mode with no transaction open. */
    void giveBack(Connection connection);

    /** How many connections there are, are lent out and are waited for now. */
    ConnectionUse use();

    @Override
    void close();
}
