import path from 'node:path';
import { defaultPromptsDir } from './prompt-audio';

/** Where a prompt's audio lives: shipped files under prompts/default, uploads under the data directory. */
export function promptFilePath(prompt: { audioFile: string; source: 'default' | 'upload' }, dataDir: string): string {
  const root = prompt.source === 'default' ? defaultPromptsDir() : path.join(path.resolve(dataDir), 'prompts');
  const resolved = path.resolve(root, prompt.audioFile);
  // audio_file comes from the database; never let it point outside its folder.
  if (!resolved.startsWith(`${root}${path.sep}`)) throw new Error(`prompt audio path escapes its folder: ${prompt.audioFile}`);
  return resolved;
}

/** The file an upload is written to: content-addressed so a replaced prompt never overwrites one a call is playing. */
export function uploadedPromptFile(id: string, language: string, sha256: string): string {
  return path.join('uploads', language, `${id}-${sha256.slice(0, 12)}.wav`);
}
