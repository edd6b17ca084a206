-- The audit trail (PostgreSQL dialect of sqlite/V13__audit_log.sql, which explains it).
CREATE TABLE audit_log (
    id                BIGINT GENERATED ALWAYS AS IDENTITY,
    occurred_at       BIGINT NOT NULL,
    action            TEXT   NOT NULL,
    actor             TEXT COLLATE "C",
    client_address    TEXT,
    repository        TEXT COLLATE "C",
    source_repository TEXT COLLATE "C",
    detail            TEXT   NOT NULL,
    CONSTRAINT audit_log_pk PRIMARY KEY (id)
);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);
CREATE INDEX audit_log_repository_idx ON audit_log (repository, id);

ALTER TABLE robots ADD COLUMN credentials_since BIGINT;
UPDATE robots SET credentials_since = created_at;
