-- Whose each IAM user is (issue 19): one row per IAM user, keyed by IAM's UserId (AIDA...), which
-- IAM never reuses; a name can be deleted and made again for someone else. The bot manages one
-- AWS account; account_id is kept for the audit and for a later second account.
CREATE TABLE iam_user_link (
    iam_user_id         TEXT NOT NULL PRIMARY KEY,
    account_id          TEXT NOT NULL,
    -- As IAM spells it; the lower-case copy keeps "one link per name" an index, as IAM's names
    -- are unique ignoring case.
    iam_user_name       TEXT NOT NULL,
    iam_user_name_lower TEXT NOT NULL,
    slack_team_id       TEXT NOT NULL,
    slack_user_id       TEXT NOT NULL,
    -- ONBOARDED, LINKED or ADOPTED (from the bot's aws-onboard:slack-user tag)
    how                 TEXT NOT NULL,
    made_by             TEXT NOT NULL,
    made_at             TEXT NOT NULL
);
CREATE UNIQUE INDEX iam_user_link_name_idx ON iam_user_link (iam_user_name_lower);
CREATE INDEX iam_user_link_person_idx ON iam_user_link (slack_user_id);

-- The UserId of the IAM user a request is about, once known: an old button acts only while the
-- user of that name still has it.
ALTER TABLE onboarding_request ADD COLUMN iam_user_id TEXT;

-- Work done once per database across replicas and restarts (the links' backfill).
CREATE TABLE one_time_step (
    name    TEXT NOT NULL PRIMARY KEY,
    done_at TEXT NOT NULL
);
