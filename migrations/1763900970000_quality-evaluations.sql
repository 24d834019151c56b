-- Up Migration
-- Issue 18 point 4: quality evaluation. Forms are versioned documents like IVR flows (one published
-- per form code); an evaluation scores one call's agent against one form version.
CREATE TABLE quality_form_versions (
  id            serial PRIMARY KEY,
  form_code     text NOT NULL CHECK (form_code ~ '^[a-z][a-z0-9_]*$'),
  version       integer NOT NULL CHECK (version > 0),
  status        text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  document      jsonb NOT NULL,
  comment       text NOT NULL DEFAULT '',
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_by  text,
  published_at  timestamptz,
  UNIQUE (form_code, version)
);
CREATE UNIQUE INDEX quality_form_one_published ON quality_form_versions (form_code) WHERE status = 'published';

CREATE TABLE quality_evaluations (
  id                 serial PRIMARY KEY,
  call_id            uuid NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  form_code          text NOT NULL,
  form_version       integer NOT NULL,
  -- The agent evaluated: the call's agent when it was scored (kept if the call row changes).
  agent_id           integer REFERENCES staff(id) ON DELETE SET NULL,
  evaluator_user_id  integer REFERENCES users(id) ON DELETE SET NULL,
  summary            text,
  -- Derived from the scores under the form version, stored so lists and reports need no form.
  total_percent      numeric(4,1) NOT NULL CHECK (total_percent BETWEEN 0 AND 100),
  passed             boolean NOT NULL,
  critical_failed    boolean NOT NULL,
  acknowledged_at    timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (form_code, form_version) REFERENCES quality_form_versions (form_code, version)
);
CREATE INDEX quality_evaluations_agent_created_idx ON quality_evaluations (agent_id, created_at);
CREATE INDEX quality_evaluations_created_idx ON quality_evaluations (created_at, id);
CREATE INDEX quality_evaluations_call_idx ON quality_evaluations (call_id);

-- One row per criterion: the criterion as that form version defined it, so the reports read plain rows.
CREATE TABLE quality_evaluation_scores (
  evaluation_id  integer NOT NULL REFERENCES quality_evaluations(id) ON DELETE CASCADE,
  criterion_id   text NOT NULL,
  position       smallint NOT NULL,
  label          text NOT NULL,
  weight         double precision NOT NULL CHECK (weight > 0),
  max_score      smallint NOT NULL CHECK (max_score BETWEEN 1 AND 10),
  critical       boolean NOT NULL DEFAULT false,
  score          smallint NOT NULL CHECK (score >= 0 AND score <= max_score),
  note           text,
  PRIMARY KEY (evaluation_id, criterion_id)
);

CREATE TABLE quality_evaluation_comments (
  id              serial PRIMARY KEY,
  evaluation_id   integer NOT NULL REFERENCES quality_evaluations(id) ON DELETE CASCADE,
  at_seconds      double precision NOT NULL CHECK (at_seconds >= 0),
  text            text NOT NULL,
  author_user_id  integer REFERENCES users(id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quality_evaluation_comments_evaluation_idx ON quality_evaluation_comments (evaluation_id, at_seconds);

-- The demo form, published: what a call-centre quality team typically scores on an order line.
INSERT INTO quality_form_versions (form_code, version, status, document, comment, created_by, published_by, published_at)
VALUES ('standard', 1, 'published', '{
  "name": "Standard call review",
  "passMark": 80,
  "criteria": [
    {"id": "greeting", "label": "Greeting", "description": "Company name, own name, offer to help", "weight": 10, "maxScore": 5},
    {"id": "needs_identified", "label": "Needs identified", "description": "Asked what the client needs and confirmed it", "weight": 20, "maxScore": 5},
    {"id": "product_knowledge", "label": "Product knowledge", "description": "Correct answers on products, prices and stock", "weight": 20, "maxScore": 5},
    {"id": "order_entry", "label": "Correct order entry", "description": "Items, quantities and delivery entered as agreed", "weight": 20, "maxScore": 5},
    {"id": "politeness", "label": "Politeness", "weight": 15, "maxScore": 5},
    {"id": "closing", "label": "Closing", "description": "Summed up, asked for anything else, said goodbye", "weight": 10, "maxScore": 5},
    {"id": "no_rudeness", "label": "No rudeness", "description": "1 = none; a 0 fails the evaluation whatever the total", "weight": 5, "maxScore": 1, "critical": true}
  ]
}'::jsonb, 'demo form', 'system', 'system', now());

-- Down Migration
DROP TABLE IF EXISTS quality_evaluation_comments;
DROP TABLE IF EXISTS quality_evaluation_scores;
DROP TABLE IF EXISTS quality_evaluations;
DROP TABLE IF EXISTS quality_form_versions;
