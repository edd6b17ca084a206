package io.berth.metadata;

/**
 * The few places where SQLite and PostgreSQL need different SQL. Everything else in
 * {@link SqlSession} is written once for both.
 */
enum SqlDialect {
    /** One writer at a time (serialised by the store), so reads inside a transaction need no locks. */
    SQLITE(""),
    /**
     * Many writers on many nodes: a row a transaction relies on (a blob link, a child manifest) is
     * share-locked, so that a concurrent delete waits until the transaction has committed.
     */
    POSTGRESQL(" FOR SHARE");

    private final String shareLock;

    SqlDialect(String shareLock) {
        this.shareLock = shareLock;
    }

    /** The clause that share-locks the rows a query reads, or nothing. */
    String shareLock() {
        return shareLock;
    }
}
