-- Up Migration
-- Outbound calls (issue 5): only staff allowed to dial out reach a trunk. Off unless granted, so a
-- new account never gets the right by accident; the people who call clients today keep it.
ALTER TABLE staff ADD COLUMN can_dial_out boolean NOT NULL DEFAULT false;
UPDATE staff SET can_dial_out = true WHERE role IN ('operator', 'key_account_manager', 'department_head');

-- Down Migration
ALTER TABLE staff DROP COLUMN IF EXISTS can_dial_out;
