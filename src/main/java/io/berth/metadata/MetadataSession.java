package io.berth.metadata;

/**
 * All metadata queries, run on one connection: either alone (each statement on its own) or inside
 * a transaction opened by {@link MetadataStore#inTransaction}.
 */
public interface MetadataSession extends RepositoryQueries, BlobQueries, ManifestQueries, TagQueries, UploadQueries,
        RobotQueries, MirrorQueries, PromotionQueries {
}
