-- The public keys nodes sign their tokens with (PostgreSQL dialect of sqlite/V9__token_signing_keys.sql).
CREATE TABLE token_signing_keys (
    key_id             TEXT    NOT NULL,
    public_jwk         TEXT    NOT NULL,
    published_at       BIGINT  NOT NULL,
    last_published_at  BIGINT  NOT NULL,
    CONSTRAINT token_signing_keys_pk PRIMARY KEY (key_id)
);
