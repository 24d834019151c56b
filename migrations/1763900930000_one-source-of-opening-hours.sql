-- Up Migration
-- One source of truth for opening hours (issue 17): the routing config's
-- businessHours (versioned, published, edited in the routing editor) is what
-- decides "closed" and what the after-hours message says. The queue's own
-- schedule and the schedules it pointed to were never read by anything:
-- dropped, so that no screen offers a second place to set hours. A site that
-- kept hours here only has them in its routing config, which it already used.
ALTER TABLE queues DROP COLUMN IF EXISTS schedule_id;
DROP TABLE IF EXISTS schedule_holidays;
DROP TABLE IF EXISTS schedule_hours;
DROP TABLE IF EXISTS schedules;

-- Down Migration
CREATE TABLE schedules (
  id         serial PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  timezone   text NOT NULL DEFAULT 'Europe/Moscow',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE schedule_hours (
  schedule_id integer NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  weekday     smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  opens       time NOT NULL,
  closes      time NOT NULL CHECK (closes > opens),
  PRIMARY KEY (schedule_id, weekday, opens)
);
CREATE TABLE schedule_holidays (
  schedule_id integer NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  day         date NOT NULL,
  name        text NOT NULL,
  PRIMARY KEY (schedule_id, day)
);
ALTER TABLE queues ADD COLUMN schedule_id integer REFERENCES schedules(id) ON DELETE SET NULL;
