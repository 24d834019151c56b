-- Up Migration
-- Issue 17: who outbound calls say they are from, per trunk (From, P-Asserted-Identity,
-- privacy; sip/trunk-caller-identity.ts), the do-not-call list campaigns and callbacks
-- respect, and each client's time zone for the calling window (routing/calling-window.ts).
CREATE TABLE trunk_caller_ids (
  -- The trunk as SIP_TRUNKS dials it: host:port (IPv6 in brackets).
  trunk           text PRIMARY KEY CHECK (length(trunk) BETWEEN 3 AND 100),
  from_number     text NOT NULL CHECK (from_number ~ '^\+[1-9][0-9]{6,14}$'),
  display_name    text CHECK (display_name IS NULL OR length(display_name) BETWEEN 1 AND 64),
  asserted_number text CHECK (asserted_number IS NULL OR asserted_number ~ '^\+[1-9][0-9]{6,14}$'),
  privacy         text NOT NULL DEFAULT 'none' CHECK (privacy IN ('none', 'id')),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE do_not_call (
  e164       text PRIMARY KEY CHECK (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  reason     text NOT NULL CHECK (length(trim(reason)) > 0),
  added_by   integer REFERENCES staff(id) ON DELETE SET NULL,
  added_at   timestamptz NOT NULL DEFAULT now()
);

-- IANA zone; NULL: derived from the client's number when calling.
ALTER TABLE clients ADD COLUMN time_zone text CHECK (time_zone IS NULL OR time_zone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$');

-- Down Migration
ALTER TABLE clients DROP COLUMN IF EXISTS time_zone;
DROP TABLE IF EXISTS do_not_call;
DROP TABLE IF EXISTS trunk_caller_ids;
