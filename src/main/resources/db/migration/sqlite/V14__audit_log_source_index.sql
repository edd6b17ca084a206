-- The audit trail filtered by repository matches a promotion by its source as well as its target
-- (repository = ? OR source_repository = ?); with an index on each column both halves are lookups.
CREATE INDEX audit_log_source_idx ON audit_log (source_repository, id);
