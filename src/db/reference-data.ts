import { DEFAULT_PROMPTS } from '../ivr/default-prompts';
import { promptAudioFile } from '../ivr/prompt-catalogue';
import { readPromptManifest } from '../media/prompt-audio';
import type { Db } from './pool';
import { ensureDefaultPrompts } from './repositories/prompts-repository';

/**
 * Data the system needs whatever the directory holds: the shipped prompt
 * catalogue, with the playback length of each generated file (the IVR times a
 * prompt's end from it). Safe to run on every start.
 */
export async function ensureReferenceData(db: Db): Promise<void> {
  const manifest = await readPromptManifest();
  const durations = new Map(manifest.prompts.map((p) => [`${p.language}:${p.id}`, p.durationMs]));
  await ensureDefaultPrompts(db, DEFAULT_PROMPTS.map((p) => ({ ...p, audioFile: promptAudioFile(p), durationMs: durations.get(`${p.language}:${p.id}`) })));
}
