-- Robot accounts for build systems. Only a hash of each secret is kept; a revoked robot keeps its
-- row (for the record) but can no longer log in.
CREATE TABLE robots (
    name        TEXT    NOT NULL,
    secret_hash TEXT    NOT NULL,
    description TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    CONSTRAINT robots_pk PRIMARY KEY (name)
);
