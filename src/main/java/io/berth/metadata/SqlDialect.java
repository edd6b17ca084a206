package io.berth.metadata;

/**
 * The few places where SQLite and PostgreSQL need different SQL. Everything else in
 * {@link SqlSession} is written once for both.
 */
enum SqlDialect {
    /** One writer at a time (serialised by the store), so reads inside a transaction need no locks. */
    SQLITE("", ""),
    /**
     * Many writers on many nodes: a row a transaction relies on (a blob link, a child manifest) is
     * share-locked, so that a concurrent delete waits until the transaction has committed.
     */
    POSTGRESQL(" FOR SHARE", " FOR UPDATE SKIP LOCKED");

    private final String shareLock;
    private final String claimLock;

    SqlDialect(String shareLock, String claimLock) {
        this.shareLock = shareLock;
        this.claimLock = claimLock;
    }

    /**
     * The clause that locks the rows a query reads and skips rows another transaction has locked,
     * so that many workers take disjoint work from one queue; or nothing (SQLite's one writer).
     */
    String claimLock() {
        return claimLock;
    }

    /** The clause that share-locks the rows a query reads, or nothing. */
    String shareLock() {
        return shareLock;
    }
}
