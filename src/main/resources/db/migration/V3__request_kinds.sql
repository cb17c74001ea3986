-- Requests about an IAM user's whole life: onboarding, MFA and password resets, offboarding.
-- Portable like V1: the same file runs on SQLite and PostgreSQL.

-- What the request asks for; every earlier row was an onboarding.
ALTER TABLE onboarding_request ADD COLUMN kind TEXT NOT NULL DEFAULT 'ONBOARD';
-- What the IAM user held when the request was checked, and what the request removed so far:
-- JSON arrays of "TYPE:id" (key ids, policy ARNs, group names, device serials; never a secret).
ALTER TABLE onboarding_request ADD COLUMN plan_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE onboarding_request ADD COLUMN removed_json TEXT NOT NULL DEFAULT '[]';
-- The person's DM message with the buttons ("channel:ts"), closed when the request ends.
ALTER TABLE onboarding_request ADD COLUMN setup_message TEXT;
-- Undoing the request left something behind in IAM (0 or 1).
ALTER TABLE onboarding_request ADD COLUMN leftovers BIGINT NOT NULL DEFAULT 0;

-- "Done" reads right for every kind; ACTIVE only fitted onboarding.
UPDATE onboarding_request SET status = 'DONE' WHERE status = 'ACTIVE';

-- At most one request per IAM user (ignoring case) waits for approval or runs at a time. An
-- earlier version checked this with a read before the insert, which two concurrent requests
-- could both pass: keep the oldest of any such pair, cancel the others, then let the index decide.
UPDATE onboarding_request SET status = 'CANCELLED',
       failure_reason = '{"reason":"SUPERSEDED","args":{"id":"","kind":"ONBOARD"}}'
 WHERE status IN ('SUBMITTED', 'REQUESTED', 'APPROVED', 'PROVISIONING')
   AND EXISTS (SELECT 1 FROM onboarding_request o
                WHERE o.iam_user_name_lower = onboarding_request.iam_user_name_lower
                  AND o.status IN ('SUBMITTED', 'REQUESTED', 'APPROVED', 'PROVISIONING')
                  AND (o.created_at < onboarding_request.created_at
                       OR (o.created_at = onboarding_request.created_at AND o.id < onboarding_request.id)));
CREATE UNIQUE INDEX onboarding_request_one_pending_per_user ON onboarding_request (iam_user_name_lower)
    WHERE status IN ('SUBMITTED', 'REQUESTED', 'APPROVED', 'PROVISIONING');

CREATE INDEX onboarding_request_target_idx ON onboarding_request (target_user_id);
