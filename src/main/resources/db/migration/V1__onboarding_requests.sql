-- Onboarding requests and their audit trail.
-- Portable on purpose: the same file runs unchanged on SQLite and PostgreSQL, so only
-- TEXT / BIGINT column types, no AUTOINCREMENT or SERIAL, and no database-specific syntax.
-- Timestamps are TEXT in a fixed-width UTC ISO-8601 form (nanosecond precision), so they
-- sort correctly as strings and round-trip an Instant without loss.
-- Lists are JSON arrays in TEXT; nothing here needs to query inside them.
-- No secret (password, TOTP seed) has a column: they must never reach the database.

CREATE TABLE onboarding_request (
    id                     TEXT   NOT NULL PRIMARY KEY,
    status                 TEXT   NOT NULL,
    step                   TEXT   NOT NULL,
    iam_user_name          TEXT   NOT NULL,
    -- IAM user names are unique ignoring case; a stored lower-case copy keeps the lookup
    -- an index seek on every database instead of lower() over the whole table.
    iam_user_name_lower    TEXT   NOT NULL,
    target_user_id         TEXT,
    requester_user_id      TEXT,
    approver_user_id       TEXT,
    groups_json            TEXT   NOT NULL,
    reason                 TEXT   NOT NULL,
    approval_messages_json TEXT   NOT NULL,
    dm_channel             TEXT,
    qr_file_id             TEXT,
    mfa_serial             TEXT,
    user_arn               TEXT,
    sign_in_url            TEXT,
    failure_reason         TEXT,
    created_at             TEXT   NOT NULL,
    updated_at             TEXT   NOT NULL,
    -- Optimistic-lock counter: every update is "WHERE id = ? AND version = ?".
    version                BIGINT NOT NULL
);

CREATE INDEX onboarding_request_status_idx ON onboarding_request (status);
CREATE INDEX onboarding_request_iam_user_name_lower_idx ON onboarding_request (iam_user_name_lower);

-- Append-only trail. seq is computed per request in the inserting statement, which keeps
-- insertion order without relying on AUTOINCREMENT/SERIAL/IDENTITY, which differ by database.
-- No foreign key: SQLite ignores them unless enabled per connection, and the two databases
-- must behave the same.
CREATE TABLE onboarding_audit (
    request_id  TEXT   NOT NULL,
    seq         BIGINT NOT NULL,
    occurred_at TEXT   NOT NULL,
    actor       TEXT   NOT NULL,
    action      TEXT   NOT NULL,
    detail      TEXT,
    outcome     TEXT   NOT NULL,
    PRIMARY KEY (request_id, seq)
);
