-- Robot accounts (PostgreSQL dialect of sqlite/V2__robot_accounts.sql).
CREATE TABLE robots (
    name        TEXT COLLATE "C" NOT NULL,
    secret_hash TEXT   NOT NULL,
    description TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT,
    CONSTRAINT robots_pk PRIMARY KEY (name)
);
