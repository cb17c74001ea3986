-- Slack event deliveries the bot took in, so a re-delivery of an event it handled is dropped and
-- a re-delivery of one it never finished (the bot died before acknowledging) is handled once.
-- No payload is kept: only the id and how far it got.
CREATE TABLE slack_event (
    event_id    TEXT NOT NULL PRIMARY KEY,
    state       TEXT NOT NULL,            -- STARTED or HANDLED
    claimed_at  TEXT NOT NULL             -- fixed-width UTC ISO-8601, like every timestamp here
);
CREATE INDEX slack_event_claimed_at_idx ON slack_event (claimed_at);

-- Files the bot must delete from Slack (QR images, which hold an MFA seed), recorded before the
-- first attempt and removed only once Slack confirms; a sweep retries the rest, across restarts.
CREATE TABLE pending_file_deletion (
    file_id     TEXT   NOT NULL PRIMARY KEY,
    request_id  TEXT   NOT NULL,
    recorded_at TEXT   NOT NULL,
    attempts    BIGINT NOT NULL,
    last_error  TEXT
);
