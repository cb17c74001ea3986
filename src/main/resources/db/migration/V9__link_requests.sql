-- link and unlink requests (issue 19): who the IAM user was linked to when the request was
-- checked, for the approvers to read and for an undo to put back.
ALTER TABLE onboarding_request ADD COLUMN linked_to TEXT;
