-- Online garbage collection (docs/architecture.md, "Garbage collection").
--
-- What may have become unreferenced waits here for its review: kind 'link' (a blob's link into a
-- repository; repository_id and digest), 'blob' (a blob record and its bytes; digest, repository_id 0),
-- 'manifest' (an untagged manifest; repository_id and digest) and 'repository' (an empty repository;
-- repository_id, digest ''). A review re-checks everything under row locks before it removes anything,
-- so an entry is only ever a hint; review_after is the earliest time (ms) it may be looked at.
CREATE TABLE gc_reviews (
    kind          TEXT    NOT NULL,
    repository_id INTEGER NOT NULL,
    digest        TEXT    NOT NULL,
    review_after  INTEGER NOT NULL,
    CONSTRAINT gc_reviews_pk PRIMARY KEY (kind, repository_id, digest),
    CONSTRAINT gc_reviews_kind_check CHECK (kind IN ('link', 'blob', 'manifest', 'repository'))
);
CREATE INDEX gc_reviews_due_idx ON gc_reviews (review_after);

-- Blobs whose record is gone and whose bytes are being removed. While a digest is here, no upload
-- may record it (its bytes could vanish under it); a row left by a stopped node is finished by the
-- next pass.
CREATE TABLE gc_blob_deletions (
    digest      TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    CONSTRAINT gc_blob_deletions_pk PRIMARY KEY (digest)
);
CREATE INDEX gc_blob_deletions_started_idx ON gc_blob_deletions (started_at);

-- Blobs garbage collection removed, and when: the mirror tree drops their files after its grace
-- period, and an upload of the same digest checks its bytes survived a removal that finished while
-- it completed. A digest recorded again leaves this table.
CREATE TABLE gc_removed_blobs (
    digest      TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    removed_at  INTEGER NOT NULL,
    CONSTRAINT gc_removed_blobs_pk PRIMARY KEY (digest)
);
CREATE INDEX gc_removed_blobs_removed_idx ON gc_removed_blobs (removed_at);

-- Finding unreferenced links and untagged manifests without reading every row.
CREATE INDEX manifest_references_repository_target_idx ON manifest_references (repository_id, target_digest);
CREATE INDEX tags_manifest_idx ON tags (repository_id, manifest_digest);
CREATE INDEX promotions_source_digest_idx ON promotions (source_digest);

-- When the manifest was last pushed (a push of a manifest already there changes nothing else): an
-- untagged manifest's age counts from it, so a client that has just pushed one by digest, say an
-- index's child before the index, finds it still there. NULL: never pushed again since created_at.
ALTER TABLE manifests ADD COLUMN pushed_at INTEGER;
