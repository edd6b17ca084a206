-- Download mirrors. A mirror generation is one run of `berth mirror export` that added blobs to the
-- mirror tree; each blob remembers the generation that first exported it, so that a mirror which has
-- synced generation G holds exactly the blobs of generations 1..G. A generation is published once the
-- export has written all of its blobs and its index. Times are epoch milliseconds.

CREATE TABLE mirror_generations (
    generation  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    blob_count  INTEGER NOT NULL,
    published_at INTEGER,
    CONSTRAINT mirror_generations_pk PRIMARY KEY (generation),
    CONSTRAINT mirror_generations_positive CHECK (generation > 0)
);

ALTER TABLE blobs ADD COLUMN mirror_generation INTEGER
    CONSTRAINT blobs_mirror_generation_fk REFERENCES mirror_generations (generation);
CREATE INDEX blobs_mirror_generation_idx ON blobs (mirror_generation);

-- The mirror catalogue: what an operator declared (from the configuration file or `berth mirror add`)
-- and what the crawler last found. Lists are comma-separated.
CREATE TABLE mirrors (
    name                 TEXT    NOT NULL,
    base_url             TEXT    NOT NULL,
    country              TEXT,
    continent            TEXT,
    netblocks            TEXT    NOT NULL,
    autonomous_systems   TEXT    NOT NULL,
    bandwidth_mbps       INTEGER NOT NULL,
    private_mirror       INTEGER NOT NULL,
    allowed_countries    TEXT    NOT NULL,
    enabled              INTEGER NOT NULL,
    from_config          INTEGER NOT NULL,
    synced_generation    INTEGER,
    stale                INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL,
    last_crawl_at        INTEGER,
    last_error           TEXT,
    CONSTRAINT mirrors_pk PRIMARY KEY (name),
    CONSTRAINT mirrors_bandwidth_positive CHECK (bandwidth_mbps > 0)
);
