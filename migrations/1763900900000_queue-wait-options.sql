-- Up Migration
-- The keys a caller waiting in a queue may press (issue 17): one for a callback
-- that keeps their place, one to leave a message; NULL: the option is not
-- offered. They are said after each position announcement
-- (src/ivr/queue-wait-run.ts). music_on_hold now names what the queue's
-- callers hear: 'default' (the system's music) or a prompt id.
ALTER TABLE queues
  ADD COLUMN callback_key text DEFAULT '1' CHECK (callback_key ~ '^[0-9]$'),
  ADD COLUMN message_key  text DEFAULT '2' CHECK (message_key ~ '^[0-9]$'),
  ADD CONSTRAINT queues_option_keys_differ CHECK (callback_key IS DISTINCT FROM message_key OR callback_key IS NULL);

-- Down Migration
ALTER TABLE queues DROP CONSTRAINT queues_option_keys_differ, DROP COLUMN message_key, DROP COLUMN callback_key;
