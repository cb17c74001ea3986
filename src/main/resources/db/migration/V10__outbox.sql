-- What the bot owes the world after a change it stored (issue 21): undoing a request in IAM, deleting
-- a QR image from Slack, telling people. Each row is written in the same transaction as the status
-- that owes it and deleted only once carried out, so a crash between a status and its effects leaves
-- them owed, and the next drain (the writer's, or any replica's sweep) carries them out.
-- Portable like V1: the same file runs on SQLite and PostgreSQL.
CREATE TABLE owed_effect (
    -- A request id, or the name of another thing that owes (a person who left: departure:<id>).
    subject     TEXT   NOT NULL,
    -- Order among the subject's effects, computed in the inserting statement as the audit trail's.
    seq         BIGINT NOT NULL,
    effect      TEXT   NOT NULL,
    -- What it acts on (a file id, a person, the status a notice tells of), and anything else; never a secret.
    target      TEXT   NOT NULL,
    detail      TEXT   NOT NULL,
    recorded_at TEXT   NOT NULL,
    -- When it may next be tried (fixed-width UTC ISO-8601, like every timestamp here).
    due_at      TEXT   NOT NULL,
    attempts    BIGINT NOT NULL,
    last_error  TEXT,
    PRIMARY KEY (subject, seq)
);
CREATE INDEX owed_effect_due_idx ON owed_effect (due_at);

-- QR deletions owed until now (V4) become owed effects like any other.
INSERT INTO owed_effect (subject, seq, effect, target, detail, recorded_at, due_at, attempts, last_error)
SELECT request_id, ROW_NUMBER() OVER (PARTITION BY request_id ORDER BY recorded_at, file_id), 'DELETE_QR', file_id, '',
       recorded_at, recorded_at, attempts, last_error
  FROM pending_file_deletion;
DROP TABLE pending_file_deletion;
