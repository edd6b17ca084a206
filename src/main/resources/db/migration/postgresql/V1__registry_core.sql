-- Core registry metadata (PostgreSQL dialect of sqlite/V1__registry_core.sql; keep the two in step).
-- Dialect differences, and only these: identity columns instead of SQLite rowids, BYTEA instead of
-- BLOB, BIGINT times, and the "C" collation on names so that listings sort in byte order as the
-- distribution spec expects.

CREATE TABLE repositories (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    name        TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT repositories_pk PRIMARY KEY (id),
    CONSTRAINT repositories_name_unique UNIQUE (name)
);

CREATE TABLE blobs (
    digest      TEXT   NOT NULL,
    size        BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT blobs_pk PRIMARY KEY (digest),
    CONSTRAINT blobs_size_not_negative CHECK (size >= 0)
);

CREATE TABLE repository_blobs (
    repository_id BIGINT NOT NULL,
    digest        TEXT   NOT NULL,
    linked_at     BIGINT NOT NULL,
    CONSTRAINT repository_blobs_pk PRIMARY KEY (repository_id, digest),
    CONSTRAINT repository_blobs_repository_fk FOREIGN KEY (repository_id) REFERENCES repositories (id) ON DELETE CASCADE,
    CONSTRAINT repository_blobs_blob_fk FOREIGN KEY (digest) REFERENCES blobs (digest)
);
CREATE INDEX repository_blobs_digest_idx ON repository_blobs (digest);

CREATE TABLE manifests (
    repository_id  BIGINT NOT NULL,
    digest         TEXT   NOT NULL,
    media_type     TEXT   NOT NULL,
    artifact_type  TEXT,
    subject_digest TEXT,
    annotations    TEXT   NOT NULL,
    content        BYTEA  NOT NULL,
    size           BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    CONSTRAINT manifests_pk PRIMARY KEY (repository_id, digest),
    CONSTRAINT manifests_repository_fk FOREIGN KEY (repository_id) REFERENCES repositories (id) ON DELETE CASCADE
);
CREATE INDEX manifests_subject_idx ON manifests (repository_id, subject_digest);

CREATE TABLE manifest_references (
    repository_id   BIGINT NOT NULL,
    manifest_digest TEXT   NOT NULL,
    target_digest   TEXT   NOT NULL,
    target_kind     TEXT   NOT NULL,
    CONSTRAINT manifest_references_pk PRIMARY KEY (repository_id, manifest_digest, target_digest, target_kind),
    CONSTRAINT manifest_references_manifest_fk FOREIGN KEY (repository_id, manifest_digest)
        REFERENCES manifests (repository_id, digest) ON DELETE CASCADE,
    CONSTRAINT manifest_references_kind_check CHECK (target_kind IN ('blob', 'manifest'))
);
CREATE INDEX manifest_references_target_idx ON manifest_references (target_digest);

CREATE TABLE tags (
    repository_id   BIGINT NOT NULL,
    name            TEXT COLLATE "C" NOT NULL,
    manifest_digest TEXT   NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT tags_pk PRIMARY KEY (repository_id, name),
    CONSTRAINT tags_manifest_fk FOREIGN KEY (repository_id, manifest_digest)
        REFERENCES manifests (repository_id, digest) ON DELETE CASCADE
);

CREATE TABLE uploads (
    id          TEXT   NOT NULL,
    repository  TEXT   NOT NULL,
    size        BIGINT NOT NULL,
    started_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT uploads_pk PRIMARY KEY (id),
    CONSTRAINT uploads_size_not_negative CHECK (size >= 0)
);
