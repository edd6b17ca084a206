-- Online garbage collection (PostgreSQL dialect of sqlite/V7__garbage_collection.sql, which explains it).
CREATE TABLE gc_reviews (
    kind          TEXT   NOT NULL,
    repository_id BIGINT NOT NULL,
    digest        TEXT   NOT NULL,
    review_after  BIGINT NOT NULL,
    CONSTRAINT gc_reviews_pk PRIMARY KEY (kind, repository_id, digest),
    CONSTRAINT gc_reviews_kind_check CHECK (kind IN ('link', 'blob', 'manifest', 'repository'))
);
CREATE INDEX gc_reviews_due_idx ON gc_reviews (review_after);

CREATE TABLE gc_blob_deletions (
    digest      TEXT   NOT NULL,
    size        BIGINT NOT NULL,
    started_at  BIGINT NOT NULL,
    CONSTRAINT gc_blob_deletions_pk PRIMARY KEY (digest)
);
CREATE INDEX gc_blob_deletions_started_idx ON gc_blob_deletions (started_at);

CREATE TABLE gc_removed_blobs (
    digest      TEXT   NOT NULL,
    size        BIGINT NOT NULL,
    removed_at  BIGINT NOT NULL,
    CONSTRAINT gc_removed_blobs_pk PRIMARY KEY (digest)
);
CREATE INDEX gc_removed_blobs_removed_idx ON gc_removed_blobs (removed_at);

CREATE INDEX manifest_references_repository_target_idx ON manifest_references (repository_id, target_digest);
CREATE INDEX tags_manifest_idx ON tags (repository_id, manifest_digest);
CREATE INDEX promotions_source_digest_idx ON promotions (source_digest);

-- When the manifest was last pushed (a push of a manifest already there changes nothing else): an
-- untagged manifest's age counts from it, so a client that has just pushed one by digest, say an
-- index's child before the index, finds it still there. NULL: never pushed again since created_at.
ALTER TABLE manifests ADD COLUMN pushed_at BIGINT;
