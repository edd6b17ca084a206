-- Settings every node sharing this database follows, one row per setting, read by each node every
-- few seconds. Today one: 'read-only', the read-only maintenance switch ('true' or 'false').
-- changed_by names who switched it last (a user, robot$NAME, or 'berth maintenance' for the command
-- line); changed_at is milliseconds since the epoch (UTC).
CREATE TABLE registry_settings (
    name        TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    changed_by  TEXT    NOT NULL,
    changed_at  INTEGER NOT NULL,
    CONSTRAINT registry_settings_pk PRIMARY KEY (name)
);
