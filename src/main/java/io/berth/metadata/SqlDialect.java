package io.berth.metadata;

/**
 * The few places where SQLite and PostgreSQL need different SQL. Everything else in
 * {@link SqlSession} is written once for both.
 */
enum SqlDialect {
    /** One writer at a time (serialised by the store), so reads inside a transaction need no locks. */
    SQLITE("", "", "", "SELECT value FROM json_each(?)"),
    /**
     * Many writers on many nodes: a row a transaction relies on (a blob link, a child manifest) is
     * share-locked, so that a concurrent delete waits until the transaction has committed.
     */
    POSTGRESQL(" FOR SHARE", " FOR UPDATE SKIP LOCKED", " FOR UPDATE", "SELECT json_array_elements_text(CAST(? AS json))");

    private final String shareLock;
    private final String claimLock;
    private final String updateLock;
    private final String jsonStrings;

    SqlDialect(String shareLock, String claimLock, String updateLock, String jsonStrings) {
        this.shareLock = shareLock;
        this.claimLock = claimLock;
        this.updateLock = updateLock;
        this.jsonStrings = jsonStrings;
    }

    /**
     * The statements that make one transaction's commit return without waiting for the disk: run on
     * the connection before it begins, as its first statement, and after it ends.
     */
    record Unsynced(java.util.Optional<String> before, java.util.Optional<String> first, java.util.Optional<String> after) {
        static final Unsynced NONE = new Unsynced(java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty());
    }

    /**
     * SQLite in WAL mode with {@code synchronous=NORMAL} appends the commit to the log and syncs it with
     * the next synced commit or checkpoint (the setting is the connection's, so it is restored after);
     * PostgreSQL's {@code synchronous_commit} is set for the one transaction.
     */
    Unsynced unsynced() {
        return this == SQLITE
                ? new Unsynced(java.util.Optional.of("PRAGMA synchronous = NORMAL"), java.util.Optional.empty(),
                        java.util.Optional.of("PRAGMA synchronous = FULL"))
                : new Unsynced(java.util.Optional.empty(), java.util.Optional.of("SET LOCAL synchronous_commit TO OFF"),
                        java.util.Optional.empty());
    }

    /**
     * A sub-query, with one parameter, that yields the strings of the JSON array bound to it: a list
     * of any length passed as one value, for {@code IN (…)}.
     */
    String jsonStrings() {
        return jsonStrings;
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
