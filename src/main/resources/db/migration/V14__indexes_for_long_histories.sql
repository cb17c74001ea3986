-- Indexes for reads that must not grow with the history (issue 19). A person's, or an IAM user's,
-- finished requests pile up for years; the reads on the paths people wait for (a slash command's
-- insert, App Home, status, the sweep) ask for the open ones, or the latest few, and now find them by
-- index instead of reading that person's or that name's whole past. Portable like V1: the same file
-- runs on SQLite and PostgreSQL. Each composite index replaces the one-column index it starts with,
-- which served nothing it does not, so a write keeps the same number of indexes to update.

-- Open requests of a person (App Home, status), as the one concerned and as requester: status IN the
-- open statuses seeks each of them within the person's part of the index.
DROP INDEX onboarding_request_target_idx;
CREATE INDEX onboarding_request_target_status_idx ON onboarding_request (target_user_id, status);
DROP INDEX onboarding_request_requester_idx;
CREATE INDEX onboarding_request_requester_status_idx ON onboarding_request (requester_user_id, status);

-- Open requests of an IAM user: the check in every new request's insert, App Home's offers, status.
DROP INDEX onboarding_request_iam_user_name_lower_idx;
CREATE INDEX onboarding_request_name_status_idx ON onboarding_request (iam_user_name_lower, status);

-- Latest first without a sort (App Home's latest decisions read five, walking back from now), and
-- the requests changed within an hour (the part of "the last 30 days" request_change_count leaves).
DROP INDEX onboarding_request_updated_idx;
CREATE INDEX onboarding_request_updated_id_idx ON onboarding_request (updated_at, id);

-- The request that recorded an MFA device last (the sweep asks it of every unassigned device): the
-- newest entry under the device and its user, with no sort (PostgreSQL otherwise read every request
-- of that user that recorded the device and sorted them).
CREATE INDEX onboarding_request_device_idx ON onboarding_request (mfa_serial, iam_user_name_lower, created_at, id)
    WHERE mfa_serial IS NOT NULL;
