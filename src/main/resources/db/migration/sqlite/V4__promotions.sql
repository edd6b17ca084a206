-- The audit trail of promotions: every attempt to promote a manifest from a candidate repository to
-- a stable one, granted or refused. JSON columns: tags (array of names), previous (tag -> digest it
-- pointed at before, or null), gates (array of {gate, passed, reason}). Times are epoch milliseconds.
CREATE TABLE promotions (
    id                INTEGER NOT NULL,
    promoted_at       INTEGER NOT NULL,
    actor             TEXT    NOT NULL,
    source_repository TEXT    NOT NULL,
    source_reference  TEXT    NOT NULL,
    source_digest     TEXT,
    target_repository TEXT    NOT NULL,
    tags              TEXT    NOT NULL,
    previous          TEXT    NOT NULL,
    gates             TEXT    NOT NULL,
    outcome           TEXT    NOT NULL,
    CONSTRAINT promotions_pk PRIMARY KEY (id),
    CONSTRAINT promotions_outcome_check CHECK (outcome IN ('promoted', 'unchanged', 'refused'))
);
CREATE INDEX promotions_target_idx ON promotions (target_repository, id);
CREATE INDEX promotions_source_idx ON promotions (source_repository, id);
