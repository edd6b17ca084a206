-- A garbage-collection review asks whether a blob or manifest is still referenced in its repository
-- (repository, target digest, target kind). With the kind in this index the index covers that query,
-- so it is chosen over the primary key's index, whose only usable prefix (repository_id) meant reading
-- every reference of the repository for each review: a sweep over a repository of 10,000 tags took
-- 19 s on SQLite, which keeps no planner statistics, instead of well under one.
DROP INDEX manifest_references_repository_target_idx;
CREATE INDEX manifest_references_repository_target_idx ON manifest_references (repository_id, target_digest, target_kind);
