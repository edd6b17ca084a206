-- The blobs no mirror generation holds yet, in digest order: a mirror export pages through them
-- (mirror_generation IS NULL AND digest > ? ORDER BY digest). PostgreSQL does not take the order from
-- blobs_mirror_generation_idx for an IS NULL condition and would sort every such blob for each page.
CREATE INDEX blobs_unexported_idx ON blobs (digest) WHERE mirror_generation IS NULL;
