-- PostgreSQL dialect of sqlite/V14__audit_log_source_index.sql, which explains it.
CREATE INDEX audit_log_source_idx ON audit_log (source_repository, id);
