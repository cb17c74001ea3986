-- Reminders already sent about a request, so each goes out once across replicas and restarts.
-- Portable like V1: the same file runs on SQLite and PostgreSQL.
-- A reminder is recorded with a compare-and-set on these counters (not on version), so recording
-- one never makes a decision or a step that read the row a moment earlier lose its own write;
-- updated_at stays too, as setup expiry counts from it.

-- Reminders to the approvers while the request waits for approval.
ALTER TABLE onboarding_request ADD COLUMN approval_reminders BIGINT NOT NULL DEFAULT 0;
-- Reminders to the person while their setup waits for them.
ALTER TABLE onboarding_request ADD COLUMN setup_reminders BIGINT NOT NULL DEFAULT 0;
-- When the last reminder of either kind was recorded (same fixed-width UTC form as updated_at).
ALTER TABLE onboarding_request ADD COLUMN reminded_at TEXT;

-- App Home reads what changed in the last 30 days (recent decisions, counts).
CREATE INDEX onboarding_request_updated_idx ON onboarding_request (updated_at);
