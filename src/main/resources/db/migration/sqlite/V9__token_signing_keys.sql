-- The public keys nodes sharing this database sign their tokens with, so that a token one node
-- issued verifies on every other node. key_id is the key's JWK thumbprint (the kid of the tokens it
-- signs); public_jwk is the public JWK as JSON, never a private key. Times are milliseconds since
-- the epoch (UTC): published_at when the key was first published, last_published_at when a node
-- last started with it.
CREATE TABLE token_signing_keys (
    key_id             TEXT    NOT NULL,
    public_jwk         TEXT    NOT NULL,
    published_at       INTEGER NOT NULL,
    last_published_at  INTEGER NOT NULL,
    CONSTRAINT token_signing_keys_pk PRIMARY KEY (key_id)
);
