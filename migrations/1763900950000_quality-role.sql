-- Up Migration
-- Issue 18: a quality role for API users — quality-control staff who review, score and listen to calls.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'supervisor', 'operator', 'quality'));

-- Down Migration
UPDATE users SET role = 'supervisor' WHERE role = 'quality';
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'supervisor', 'operator'));
