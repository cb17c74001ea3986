-- App Home reads a person's open requests as requester too, at every redraw: by index, not by scanning.
CREATE INDEX onboarding_request_requester_idx ON onboarding_request (requester_user_id);
