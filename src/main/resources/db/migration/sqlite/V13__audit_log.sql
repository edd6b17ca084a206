-- The audit trail (docs/operations.md, "Audit trail"): who did what, from where. A row is written
-- in the transaction of the change it records (a push, a delete, a tag move, a promotion, a robot
-- change), or on its own for a login. action is a name such as push, promotion.refused,
-- login.failed or robot.rotated; actor the authenticated name (for a failed login, the name that
-- was tried), client_address the caller's address; repository and source_repository say which
-- repositories the action touched, so that callers see only rows about repositories they may pull;
-- detail is a JSON object. occurred_at is milliseconds since the epoch (UTC).
CREATE TABLE audit_log (
    id                INTEGER NOT NULL,
    occurred_at       INTEGER NOT NULL,
    action            TEXT    NOT NULL,
    actor             TEXT,
    client_address    TEXT,
    repository        TEXT,
    source_repository TEXT,
    detail            TEXT    NOT NULL,
    CONSTRAINT audit_log_pk PRIMARY KEY (id)
);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);
CREATE INDEX audit_log_repository_idx ON audit_log (repository, id);

-- A robot's credentials: since when its current secret is valid. Rotating the secret or creating a
-- robot again under a revoked robot's name moves it, and every token issued before it stops working.
ALTER TABLE robots ADD COLUMN credentials_since INTEGER;
UPDATE robots SET credentials_since = created_at;
