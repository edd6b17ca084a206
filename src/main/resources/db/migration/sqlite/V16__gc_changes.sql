-- What the API changed that may leave something unreferenced, appended by the change's own
-- transaction: a link made, a manifest stored or deleted, a tag moved or deleted, a link deleted, a
-- repository created. Kinds and keys as in gc_reviews. A garbage-collection pass moves these rows into
-- gc_reviews, so that it reviews what changed instead of reading every table; a full sweep of the
-- tables (gc_sweeps) still runs once a day and at least once after Berth starts, and finds whatever
-- no change row names. Rows are only appended by clients, never updated, so a push never waits here.
CREATE TABLE gc_changes (
    id            INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    repository_id INTEGER NOT NULL,
    digest        TEXT    NOT NULL,
    CONSTRAINT gc_changes_pk PRIMARY KEY (id),
    CONSTRAINT gc_changes_kind_check CHECK (kind IN ('link', 'blob', 'manifest', 'repository'))
);

-- When a pass last swept every table (ms since the epoch); one row, id 1.
CREATE TABLE gc_sweeps (
    id        INTEGER NOT NULL,
    swept_at  INTEGER NOT NULL,
    CONSTRAINT gc_sweeps_pk PRIMARY KEY (id),
    CONSTRAINT gc_sweeps_one_row CHECK (id = 1)
);
