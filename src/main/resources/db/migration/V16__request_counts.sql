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

-- How many requests whose last change (updated_at) fell in each UTC hour are in each status now.
-- "Changed in the last 30 days" sums the whole hours and counts the rows of the one hour the window
-- starts in: a month's hours, never the requests themselves. Hours whose count fell to zero stay.
CREATE TABLE request_change_count (
    changed_hour TEXT   NOT NULL, -- the first 13 characters of updated_at: 2026-01-02T03
    status       TEXT   NOT NULL,
    requests     BIGINT NOT NULL,
    PRIMARY KEY (changed_hour, status)
);
INSERT INTO request_change_count (changed_hour, status, requests)
SELECT substr(updated_at, 1, 13), status, COUNT(*) FROM onboarding_request GROUP BY substr(updated_at, 1, 13), status;
