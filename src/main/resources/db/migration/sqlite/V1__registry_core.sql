-- Core registry metadata: repositories, blobs and their per-repository links, manifests with their
-- references and subject, tags, and upload sessions. Times are milliseconds since the epoch (UTC).

CREATE TABLE repositories (
    id          INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    CONSTRAINT repositories_pk PRIMARY KEY (id),
    CONSTRAINT repositories_name_unique UNIQUE (name)
);

-- One row per verified blob in the blob store, whichever repositories link it.
CREATE TABLE blobs (
    digest      TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    CONSTRAINT blobs_pk PRIMARY KEY (digest),
    CONSTRAINT blobs_size_not_negative CHECK (size >= 0)
);

-- A blob is readable through a repository only while this link exists.
CREATE TABLE repository_blobs (
    repository_id INTEGER NOT NULL,
    digest        TEXT    NOT NULL,
    linked_at     INTEGER NOT NULL,
    CONSTRAINT repository_blobs_pk PRIMARY KEY (repository_id, digest),
    CONSTRAINT repository_blobs_repository_fk FOREIGN KEY (repository_id) REFERENCES repositories (id) ON DELETE CASCADE,
    CONSTRAINT repository_blobs_blob_fk FOREIGN KEY (digest) REFERENCES blobs (digest)
);
CREATE INDEX repository_blobs_digest_idx ON repository_blobs (digest);

-- The exact bytes of each manifest pushed to a repository, with the facts the API lists.
CREATE TABLE manifests (
    repository_id  INTEGER NOT NULL,
    digest         TEXT    NOT NULL,
    media_type     TEXT    NOT NULL,
    artifact_type  TEXT,
    subject_digest TEXT,
    annotations    TEXT    NOT NULL,
    content        BLOB    NOT NULL,
    size           INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    CONSTRAINT manifests_pk PRIMARY KEY (repository_id, digest),
    CONSTRAINT manifests_repository_fk FOREIGN KEY (repository_id) REFERENCES repositories (id) ON DELETE CASCADE
);
CREATE INDEX manifests_subject_idx ON manifests (repository_id, subject_digest);

-- What each manifest points at: blobs (config, layers) and child manifests (index entries).
CREATE TABLE manifest_references (
    repository_id   INTEGER NOT NULL,
    manifest_digest TEXT    NOT NULL,
    target_digest   TEXT    NOT NULL,
    target_kind     TEXT    NOT NULL,
    CONSTRAINT manifest_references_pk PRIMARY KEY (repository_id, manifest_digest, target_digest, target_kind),
    CONSTRAINT manifest_references_manifest_fk FOREIGN KEY (repository_id, manifest_digest)
        REFERENCES manifests (repository_id, digest) ON DELETE CASCADE,
    CONSTRAINT manifest_references_kind_check CHECK (target_kind IN ('blob', 'manifest'))
);
CREATE INDEX manifest_references_target_idx ON manifest_references (target_digest);

CREATE TABLE tags (
    repository_id   INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    manifest_digest TEXT    NOT NULL,
    updated_at      INTEGER NOT NULL,
    CONSTRAINT tags_pk PRIMARY KEY (repository_id, name),
    CONSTRAINT tags_manifest_fk FOREIGN KEY (repository_id, manifest_digest)
        REFERENCES manifests (repository_id, digest) ON DELETE CASCADE
);

-- Upload sessions; their bytes live in the blob store's staging area.
CREATE TABLE uploads (
    id          TEXT    NOT NULL,
    repository  TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CONSTRAINT uploads_pk PRIMARY KEY (id),
    CONSTRAINT uploads_size_not_negative CHECK (size >= 0)
);
