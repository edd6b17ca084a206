-- The event outbox (docs/operations.md, "Events"). A row is written in the same transaction as the
-- change it describes (a push, a delete, a tag move, a promotion, a mirror's state), so an event is
-- sent for every committed change and for none that rolled back. id is the event's UUID, sent as the
-- message id for de-duplication; body is the event as JSON; occurred_at, next_attempt_at are
-- milliseconds since the epoch (UTC). The dispatcher claims due rows by moving next_attempt_at past
-- its lease, records in delivered_to (a JSON array of destination names) where it arrived, and
-- deletes the row once every destination has it; rows older than the retention are pruned.
CREATE TABLE event_outbox (
    id               TEXT    NOT NULL,
    type             TEXT    NOT NULL,
    occurred_at      INTEGER NOT NULL,
    body             TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    delivered_to     TEXT    NOT NULL DEFAULT '[]',
    last_error       TEXT,
    CONSTRAINT event_outbox_pk PRIMARY KEY (id),
    CONSTRAINT event_outbox_attempts_check CHECK (attempts >= 0)
);
CREATE INDEX event_outbox_due_idx ON event_outbox (next_attempt_at);
CREATE INDEX event_outbox_occurred_idx ON event_outbox (occurred_at);
