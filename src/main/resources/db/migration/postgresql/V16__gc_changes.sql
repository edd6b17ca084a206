-- Changes that may leave something unreferenced (PostgreSQL dialect of sqlite/V16__gc_changes.sql,
-- which explains them).
CREATE TABLE gc_changes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY,
    kind          TEXT   NOT NULL,
    repository_id BIGINT NOT NULL,
    digest        TEXT   NOT NULL,
    CONSTRAINT gc_changes_pk PRIMARY KEY (id),
    CONSTRAINT gc_changes_kind_check CHECK (kind IN ('link', 'blob', 'manifest', 'repository'))
);

CREATE TABLE gc_sweeps (
    id        INTEGER NOT NULL,
    swept_at  BIGINT  NOT NULL,
    CONSTRAINT gc_sweeps_pk PRIMARY KEY (id),
    CONSTRAINT gc_sweeps_one_row CHECK (id = 1)
);
