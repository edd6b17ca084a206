package io.berth.metadata;

import java.time.Instant;
import java.util.List;

/** The audit trail: who did what, from where. */
public interface AuditQueries {

    /** Adds an entry, in the session's transaction when it has one; returns its id. */
    long append(AuditRecord record);

    /** Entries matching {@code filter}, newest first. */
    List<StoredAuditRecord> list(AuditFilter filter);

    /** Removes entries older than {@code cutoff}; returns how many. */
    int removeBefore(Instant cutoff);
}
