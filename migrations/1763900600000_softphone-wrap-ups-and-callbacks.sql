-- Up Migration
-- The softphone's wrap-up form (issue 6) is sent while or right after the call ends, and the call
-- row is written by an outbox when the call has ended — possibly later than the wrap-up. So the
-- wrap-up no longer needs its call row to exist: it is stored at once, and the call row, when it
-- is inserted, takes its disposition from it (trigger below). Deleting a call still deletes its
-- wrap-ups, as the foreign key's ON DELETE CASCADE did.
ALTER TABLE wrap_ups DROP CONSTRAINT IF EXISTS wrap_ups_call_id_fkey;
-- An agent may correct the form during wrap-up: one row per call and agent, updated in place.
ALTER TABLE wrap_ups ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
-- "My calls" and "my shift" read one agent's wrap-ups by time.
CREATE INDEX wrap_ups_staff_created_idx ON wrap_ups (staff_id, created_at);

CREATE FUNCTION calls_disposition_from_wrap_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.disposition_code IS NULL THEN
    -- Serialises with a wrap-up being saved for this call (wrap-up-repository.ts takes the same lock):
    -- whichever commits second sees the other, so a form racing the row is never lost. The key is
    -- one of 1,024 buckets so that a bulk insert of many calls holds at most 1,024 locks, not one
    -- per row (which exhausts the shared lock table).
    PERFORM pg_advisory_xact_lock(4242600, hashtext(NEW.id::text) & 1023);
    -- The first agent's form decides (as writeWrapUp does for forms arriving after the row); else the earliest.
    SELECT w.disposition_code INTO NEW.disposition_code
    FROM wrap_ups w
    WHERE w.call_id = NEW.id
    ORDER BY (w.staff_id IS NOT DISTINCT FROM NEW.agent_id) DESC, w.created_at, w.id
    LIMIT 1;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER calls_disposition_from_wrap_up BEFORE INSERT ON calls
  FOR EACH ROW EXECUTE FUNCTION calls_disposition_from_wrap_up();

CREATE FUNCTION calls_delete_wrap_ups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM wrap_ups WHERE call_id = OLD.id;
  RETURN OLD;
END;
$$;
CREATE TRIGGER calls_delete_wrap_ups AFTER DELETE ON calls
  FOR EACH ROW EXECUTE FUNCTION calls_delete_wrap_ups();

-- Callback requests an agent has dealt with ("my assignments"): the result of calling the client
-- back, one row per requesting call. No foreign key to calls, for the same reason as above.
CREATE TABLE callback_results (
  call_id     uuid PRIMARY KEY,
  staff_id    integer REFERENCES staff(id) ON DELETE SET NULL,
  result      text NOT NULL CHECK (length(result) BETWEEN 1 AND 500),
  notes       text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
  done_at     timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS callback_results;
DROP TRIGGER IF EXISTS calls_delete_wrap_ups ON calls;
DROP FUNCTION IF EXISTS calls_delete_wrap_ups();
DROP TRIGGER IF EXISTS calls_disposition_from_wrap_up ON calls;
DROP FUNCTION IF EXISTS calls_disposition_from_wrap_up();
DROP INDEX IF EXISTS wrap_ups_staff_created_idx;
ALTER TABLE wrap_ups DROP COLUMN IF EXISTS updated_at;
-- Forms whose call row never arrived cannot satisfy the foreign key again.
DELETE FROM wrap_ups w WHERE NOT EXISTS (SELECT 1 FROM calls c WHERE c.id = w.call_id);
ALTER TABLE wrap_ups ADD CONSTRAINT wrap_ups_call_id_fkey FOREIGN KEY (call_id) REFERENCES calls(id) ON DELETE CASCADE;
