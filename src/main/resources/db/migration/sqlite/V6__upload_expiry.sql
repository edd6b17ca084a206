-- Upload sessions idle for longer than the configured period are expired; this index finds them
-- without reading every session.
CREATE INDEX uploads_updated_at ON uploads (updated_at);
