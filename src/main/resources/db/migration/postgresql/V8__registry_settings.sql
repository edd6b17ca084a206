-- Settings every node follows (PostgreSQL dialect of sqlite/V8__registry_settings.sql, which explains it).
CREATE TABLE registry_settings (
    name        TEXT   NOT NULL,
    value       TEXT   NOT NULL,
    changed_by  TEXT   NOT NULL,
    changed_at  BIGINT NOT NULL,
    CONSTRAINT registry_settings_pk PRIMARY KEY (name)
);
