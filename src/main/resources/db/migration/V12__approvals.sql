-- Approval rules and two-person approval. Portable like V1: the same file runs on SQLite and PostgreSQL.

-- Who approved, in order: JSON array of "U012ABCDEF@2026-11-24T10:00:00Z" (Slack ids never hold '@').
-- A request decided before this column existed has its one approver in approver_user_id.
ALTER TABLE onboarding_request ADD COLUMN approvals_json TEXT NOT NULL DEFAULT '[]';
-- The approval rules the request is under and how far each got, as the approval messages show them:
-- JSON array of "rule|approvals needed|pinged approver ids|ids counted so far".
ALTER TABLE onboarding_request ADD COLUMN approval_needs_json TEXT NOT NULL DEFAULT '[]';
