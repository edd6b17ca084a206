package io.berth.metadata;

/** An audit entry with the id it was stored under: ids grow with time, and page the trail. */
public record StoredAuditRecord(long id, AuditRecord record) {
}
