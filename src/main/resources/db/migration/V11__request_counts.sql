-- Counts that no longer grow with the history (issue 19): the approvers' App Home and /metrics
-- counted every request ever made (GROUP BY status over the whole table) on every redraw and scrape.
-- The store keeps these in the transaction of every insert and compare-and-set that moves a request,
-- so they are always what a count over onboarding_request would say. Portable like V1: the same file
-- runs on SQLite and PostgreSQL. Each table is filled here from the requests already stored.

-- How many requests are in each status now.
CREATE TABLE request_status_count (
    status   TEXT   NOT NULL PRIMARY KEY,
    requests BIGINT NOT NULL
);
INSERT INTO request_status_count (status, requests)
SELECT status, COUNT(*) FROM onboarding_request GROUP BY status;

-- How many requests whose last change (updated_at) fell in each UTC day, and in each UTC hour, are
-- in each status now. "Changed in the last 30 days" sums the whole days after the one the window
-- starts in, the whole hours after its first hour within that day, and counts the requests of that
-- first hour: about 50 rows per status and an hour's requests, never a month of requests. Days and
-- hours whose count fell to zero stay.
CREATE TABLE request_change_day (
    changed_day TEXT   NOT NULL, -- the first 10 characters of updated_at: 2026-01-02
    status      TEXT   NOT NULL,
    requests    BIGINT NOT NULL,
    PRIMARY KEY (changed_day, status)
);
INSERT INTO request_change_day (changed_day, status, requests)
SELECT substr(updated_at, 1, 10), status, COUNT(*) FROM onboarding_request GROUP BY substr(updated_at, 1, 10), status;

CREATE TABLE request_change_count (
    changed_hour TEXT   NOT NULL, -- the first 13 characters of updated_at: 2026-01-02T03
    status       TEXT   NOT NULL,
    requests     BIGINT NOT NULL,
    PRIMARY KEY (changed_hour, status)
);
INSERT INTO request_change_count (changed_hour, status, requests)
SELECT substr(updated_at, 1, 13), status, COUNT(*) FROM onboarding_request GROUP BY substr(updated_at, 1, 13), status;
