-- The reason of an emergency override of promotion gates (PostgreSQL dialect of
-- sqlite/V11__promotion_overrides.sql, which explains it).
ALTER TABLE promotions ADD COLUMN override_reason TEXT,
    ADD CONSTRAINT promotions_override_reason_check CHECK (override_reason IS NULL OR length(override_reason) BETWEEN 1 AND 1024);
