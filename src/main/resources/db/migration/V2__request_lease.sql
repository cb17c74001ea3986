-- Who is working on a request right now. A worker claims a request before it calls IAM and
-- renews the claim at each step; a replica (or a restarted bot) takes over only once the
-- claim has expired, so two workers never run the same provisioning at once.
CREATE TABLE request_lease (
    request_id TEXT NOT NULL PRIMARY KEY,
    owner      TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
