-- The event outbox (PostgreSQL dialect of sqlite/V12__event_outbox.sql, which explains it).
CREATE TABLE event_outbox (
    id               TEXT    NOT NULL,
    type             TEXT    NOT NULL,
    occurred_at      BIGINT  NOT NULL,
    body             TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT  NOT NULL,
    delivered_to     TEXT    NOT NULL DEFAULT '[]',
    last_error       TEXT,
    CONSTRAINT event_outbox_pk PRIMARY KEY (id),
    CONSTRAINT event_outbox_attempts_check CHECK (attempts >= 0)
);
CREATE INDEX event_outbox_due_idx ON event_outbox (next_attempt_at);
CREATE INDEX event_outbox_occurred_idx ON event_outbox (occurred_at);
