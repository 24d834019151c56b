-- Up Migration
-- An explicit per-client routing target (e.g. always a named person); wins over type rules.
ALTER TABLE clients ADD COLUMN routing_override jsonb;

-- Down Migration
ALTER TABLE clients DROP COLUMN IF EXISTS routing_override;
