import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { VoicemailSettings } from '../calls/voicemail';
import type { AppConfig } from '../config/config-schema';
import type { Db } from '../db/pool';
import { voicemailStore } from '../db/repositories/voicemails-repository';
import type { Logger } from '../logger';

/**
 * The tone before a voicemail recording: half a second of 1 kHz, made with
 * sox on first use (like the music on hold; nothing licensed to ship). Null
 * without sox: the greeting alone then says when to speak.
 */
export function voicemailBeepFile(dataDir: string, logger: Logger): string | null {
  const file = path.join(dataDir, 'prompts', 'voicemail_beep.wav');
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const made = spawnSync('sox', ['-D', '-R', '-n', '-r', '8000', '-c', '1', '-b', '16', file, 'synth', '0.5', 'sine', '1000', 'vol', '0.5'], { timeout: 10_000 });
  if (made.status === 0 && existsSync(file)) return file;
  logger.warn({ stderr: made.stderr?.toString() }, 'could not make the voicemail tone with sox; the greeting plays without it');
  return null;
}

/** Voicemail for the call sessions: messages stored in Postgres, the configured longest message, the tone. */
export function voicemailSettings(config: Readonly<AppConfig>, db: Db, logger: Logger): VoicemailSettings {
  return { store: voicemailStore(db), maxLengthMs: config.voicemail.maxSeconds * 1000, beepFile: voicemailBeepFile(path.resolve(config.dataDir), logger) };
}
