package io.berth.metadata;

/**
 * How the metadata connections are used at one moment, for monitoring.
 *
 * @param total   the connections there may be (SQLite's fixed set, PostgreSQL's pool size)
 * @param inUse   the connections lent out now
 * @param waiting the callers waiting for one
 */
public record ConnectionUse(int total, int inUse, int waiting) {
}
