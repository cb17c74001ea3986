-- Temporary group membership (grants). Portable like V1: the same file runs on SQLite and PostgreSQL.

-- How long the grant was asked for (ISO-8601, like PT8H); NULL for other kinds.
ALTER TABLE onboarding_request ADD COLUMN grant_length TEXT;
-- When the membership is taken away again (fixed-width UTC ISO-8601, like every timestamp here); NULL
-- until the person was added to the group.
ALTER TABLE onboarding_request ADD COLUMN grant_ends_at TEXT;
