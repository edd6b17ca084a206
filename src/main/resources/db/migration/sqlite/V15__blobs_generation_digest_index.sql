-- Blobs by mirror generation, then digest: an export walks a generation (and the blobs no generation
-- holds yet, mirror_generation IS NULL) a page at a time in digest order, reading only that page.
DROP INDEX blobs_mirror_generation_idx;
CREATE INDEX blobs_mirror_generation_idx ON blobs (mirror_generation, digest);
