-- Download mirrors (PostgreSQL dialect of sqlite/V3__mirrors.sql, which explains the tables).

CREATE TABLE mirror_generations (
    generation  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    blob_count  BIGINT NOT NULL,
    published_at BIGINT,
    CONSTRAINT mirror_generations_pk PRIMARY KEY (generation),
    CONSTRAINT mirror_generations_positive CHECK (generation > 0)
);

ALTER TABLE blobs ADD COLUMN mirror_generation BIGINT
    CONSTRAINT blobs_mirror_generation_fk REFERENCES mirror_generations (generation);
CREATE INDEX blobs_mirror_generation_idx ON blobs (mirror_generation);

CREATE TABLE mirrors (
    name                 TEXT COLLATE "C" NOT NULL,
    base_url             TEXT    NOT NULL,
    country              TEXT,
    continent            TEXT,
    netblocks            TEXT    NOT NULL,
    autonomous_systems   TEXT    NOT NULL,
    bandwidth_mbps       INTEGER NOT NULL,
    private_mirror       BOOLEAN NOT NULL,
    allowed_countries    TEXT    NOT NULL,
    enabled              BOOLEAN NOT NULL,
    from_config          BOOLEAN NOT NULL,
    synced_generation    BIGINT,
    stale                BOOLEAN NOT NULL,
    consecutive_failures INTEGER NOT NULL,
    last_crawl_at        BIGINT,
    last_error           TEXT,
    CONSTRAINT mirrors_pk PRIMARY KEY (name),
    CONSTRAINT mirrors_bandwidth_positive CHECK (bandwidth_mbps > 0)
);
