package io.berth.metadata;

/**
 * The few places where SQLite and PostgreSQL need different SQL. Everything else in
 * {@link SqlSession} is written once for both.
 */
enum SqlDialect {
    /** One writer at a time (serialised by the store), so reads inside a transaction need no locks. */
    SQLITE("", "", ""),
    /**
     * Many writers on many nodes: a row a transaction relies on (a blob link, a child manifest) is
     * share-locked, so that a concurrent delete waits until the transaction has committed.
     */
    POSTGRESQL(" FOR SHARE", " FOR UPDATE SKIP LOCKED", " FOR UPDATE");

    private final String shareLock;
    private final String claimLock;
    private final String updateLock;

    SqlDialect(String shareLock, String claimLock, String updateLock) {
        this.shareLock = shareLock;
        this.claimLock = claimLock;
        this.updateLock = updateLock;
    }

    /**
     * The clause that locks the rows a query reads against any other transaction's change until
     * this one ends (a tag about to be judged and moved), or nothing.
     */
    String updateLock() {
        return updateLock;
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
