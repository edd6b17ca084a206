package io.berth.metadata;

/**
 * All metadata queries, run on one connection: either alone (each statement on its own) or inside
 * a transaction opened by {@link MetadataStore#inTransaction}.
 */
public interface MetadataSession extends RepositoryQueries, BlobQueries, ManifestQueries, TagQueries {

    /** Upload sessions, on this session's connection. */
    UploadQueries uploads();

    /** Robot accounts, on this session's connection. */
    RobotQueries robots();

    /** The mirror catalogue and mirror generations, on this session's connection. */
    MirrorQueries mirrors();

    /** The promotion audit trail, on this session's connection. */
    PromotionQueries promotions();

    /** What {@code berth fsck} checks and repairs, on this session's connection. */
    IntegrityQueries integrity();

    /** What online garbage collection and retention read and change, on this session's connection. */
    GcQueries gc();

    /** The read-only maintenance switch every node follows, on this session's connection. */
    MaintenanceQueries maintenance();

    /** What quotas are measured by, on this session's connection. */
    QuotaQueries quotas();

    /** The public token-signing keys of the nodes sharing this database, on this session's connection. */
    SigningKeyQueries signingKeys();

    /** The event outbox, on this session's connection: append in the transaction of the change. */
    OutboxQueries outbox();

    /** The audit trail, on this session's connection: append in the transaction of the change. */
    AuditQueries audit();
}
