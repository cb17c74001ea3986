-- What people chose for themselves in the bot (App Home), one row per Slack user.
-- Portable like V1: the same file runs on SQLite and PostgreSQL.
CREATE TABLE person_preferences (
    slack_user_id TEXT NOT NULL PRIMARY KEY,
    -- "en" or "ja"; NULL: no choice, so the person's Slack locale decides.
    language      TEXT,
    updated_at    TEXT NOT NULL
);
