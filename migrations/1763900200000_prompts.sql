-- Up Migration
-- The prompt catalogue: one row per prompt and language. Shipped defaults are
-- inserted at start when missing; an admin's upload replaces the audio.
CREATE TABLE prompts (
  id           text NOT NULL CHECK (id ~ '^[a-z][a-z0-9_]*$'),
  language     text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
  text         text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  -- Relative to the prompts directory (shipped) or the uploads directory (source = 'upload').
  audio_file   text NOT NULL,
  source       text NOT NULL DEFAULT 'default' CHECK (source IN ('default', 'upload')),
  duration_ms  integer CHECK (duration_ms >= 0),
  updated_by   text NOT NULL DEFAULT 'system',
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, language)
);

-- Down Migration
DROP TABLE IF EXISTS prompts;
