-- The reason of an emergency override of promotion gates (docs/promotion.md, "Emergency override"),
-- or NULL for an attempt that asked for none. The actor who asked for it is the row's actor; whether
-- the override let failing gates pass follows from outcome and gates, so it is not stored twice.
-- The limit is Limits.MAX_OVERRIDE_REASON_CHARACTERS.
ALTER TABLE promotions ADD COLUMN override_reason TEXT
    CONSTRAINT promotions_override_reason_check CHECK (override_reason IS NULL OR length(override_reason) BETWEEN 1 AND 1024);
