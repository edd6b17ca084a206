-- The audit trail of promotions (PostgreSQL dialect of sqlite/V4__promotions.sql, which explains it).
CREATE TABLE promotions (
    id                BIGINT GENERATED ALWAYS AS IDENTITY,
    promoted_at       BIGINT NOT NULL,
    actor             TEXT   NOT NULL,
    source_repository TEXT COLLATE "C" NOT NULL,
    source_reference  TEXT   NOT NULL,
    source_digest     TEXT,
    target_repository TEXT COLLATE "C" NOT NULL,
    tags              TEXT   NOT NULL,
    previous          TEXT   NOT NULL,
    gates             TEXT   NOT NULL,
    outcome           TEXT   NOT NULL,
    CONSTRAINT promotions_pk PRIMARY KEY (id),
    CONSTRAINT promotions_outcome_check CHECK (outcome IN ('promoted', 'unchanged', 'refused'))
);
CREATE INDEX promotions_target_idx ON promotions (target_repository, id);
CREATE INDEX promotions_source_idx ON promotions (source_repository, id);
