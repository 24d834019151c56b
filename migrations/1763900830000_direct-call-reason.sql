-- Up Migration
-- The not-ready reason the ACD gives a person on a call it did not hand them
-- (click-to-call, a number dialled on their phone, a consult straight to
-- them), so that screens can name it; src/acd/agent-state.ts DIRECT_CALL_REASON.
INSERT INTO not_ready_reasons (code, label, built_in) VALUES ('direct_call', 'On a direct call', true)
  ON CONFLICT (code) DO UPDATE SET built_in = true;

-- Down Migration
DELETE FROM not_ready_reasons WHERE code = 'direct_call';
