/**
 * Generates the shipped IVR prompts from their text (src/ivr/default-prompts.ts):
 * espeak-ng speaks each text into a WAV, sox turns it into what rtpengine's
 * `play media` takes (8 kHz mono 16-bit PCM), and a manifest lists every file
 * with its duration and sha256.
 *
 *   npx tsx scripts/generate-prompts.ts                  all prompts into prompts/default/, plus manifest.json
 *   npx tsx scripts/generate-prompts.ts --out DIR        the same into another folder
 *   npx tsx scripts/generate-prompts.ts --only en/greeting [--only ru/goodbye]   just these, no manifest
 *
 * Reproducible: the same espeak-ng and sox versions give byte-identical files
 * (sox runs without dither, in repeatable mode; nothing time-dependent is
 * written), so regenerating is a no-op unless a text or a tool changed. The
 * test suite checks this against the committed files.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_PROMPTS } from '../src/ivr/default-prompts';
import { promptAudioFile, type PromptEntry } from '../src/ivr/prompt-catalogue';
import {
  MEDIA_SERVER_FORMAT, PROMPT_MANIFEST_FILE, SOX_MEDIA_SERVER_OUTPUT_ARGS, SOX_REPRODUCIBLE_ARGS,
  defaultPromptsDir, isMediaServerFormat, type PromptManifest, type PromptManifestEntry,
} from '../src/media/prompt-audio';
import { describeWav, parseWav } from '../src/media/wav-file';

const execFileAsync = promisify(execFile);

/** espeak-ng voice per catalogue language. A new language needs its voice here. */
const VOICES: Readonly<Record<string, string>> = { en: 'en', ru: 'ru' };

/**
 * espeak-ng's defaults, pinned so that a changed default in a later release
 * shows up as a changed argument rather than silently different audio:
 * UTF-8 input, 175 words/min, amplitude 100, pitch 50.
 */
const ESPEAK_ARGS = ['-b', '1', '-s', '175', '-a', '100', '-p', '50'];

/**
 * Effects: trim espeak's uneven leading/trailing silence (below -60 dB), pad
 * to a fixed 50 ms lead-in and 150 ms tail so that prompts played back to
 * back do not run into each other, resample, and only then normalise the peak
 * to -3 dBFS — normalising before the rate change lets resampling overshoot
 * the target, so the rate effect is placed explicitly rather than left to sox.
 */
const SOX_EFFECTS = [
  'silence', '1', '0.01', '0.1%', 'reverse', 'silence', '1', '0.01', '0.1%', 'reverse',
  'pad', '0.05', '0.15', 'rate', String(MEDIA_SERVER_FORMAT.sampleRate), 'gain', '-n', '-3',
];

const TOOL_TIMEOUT_MS = 60_000;

interface Options {
  outDir: string;
  /** `<language>/<id>` keys to generate; null = all, with the manifest. */
  only: ReadonlySet<string> | null;
}

function usage(): never {
  console.error('usage: npx tsx scripts/generate-prompts.ts [--out DIR] [--only <language>/<id> ...]');
  process.exit(64);
}

function parseArgs(argv: readonly string[]): Options {
  let outDir = defaultPromptsDir();
  const only = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--out' && value) {
      outDir = path.resolve(value);
      i++;
    } else if (arg === '--only' && value) {
      only.add(value);
      i++;
    } else {
      usage();
    }
  }
  return { outDir, only: only.size > 0 ? only : null };
}

/**
 * The version number `<binary> --version` prints ("1.51", "14.4.2"), or null
 * when the binary is not installed. Only the number goes into the manifest:
 * the rest of the line (espeak-ng prints its data path) is machine-specific.
 */
async function toolVersion(binary: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync(binary, ['--version'], { timeout: TOOL_TIMEOUT_MS });
    const firstLine = stdout.split('\n')[0]?.trim() ?? '';
    return /\bv?(\d+(?:\.\d+)+)/.exec(firstLine)?.[1] ?? firstLine;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function run(binary: string, args: readonly string[]): Promise<void> {
  try {
    await execFileAsync(binary, args, { timeout: TOOL_TIMEOUT_MS });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`${binary} ${args.join(' ')} failed: ${stderr || (err as Error).message}`, { cause: err });
  }
}

/** Speaks one prompt and converts it; returns the final file's bytes. */
async function synthesize(entry: PromptEntry, workDir: string): Promise<Buffer> {
  const voice = VOICES[entry.language];
  if (!voice) throw new Error(`no espeak-ng voice for language "${entry.language}" (prompt ${entry.id}); add it to VOICES in ${__filename}`);
  // The text goes through a file, not argv: a text starting with "-" would otherwise be read as an option.
  const textFile = path.join(workDir, `${entry.language}-${entry.id}.txt`);
  const spoken = path.join(workDir, `${entry.language}-${entry.id}.espeak.wav`);
  const converted = path.join(workDir, `${entry.language}-${entry.id}.wav`);
  await writeFile(textFile, entry.text, 'utf8');
  await run('espeak-ng', [...ESPEAK_ARGS, '-v', voice, '-f', textFile, '-w', spoken]);
  await run('sox', [...SOX_REPRODUCIBLE_ARGS, '--no-glob', spoken, ...SOX_MEDIA_SERVER_OUTPUT_ARGS, '--no-glob', converted, ...SOX_EFFECTS]);
  return readFile(converted);
}

/** Removes `.wav` files a full run did not write (a prompt id or language that left the catalogue). */
async function removeStale(outDir: string, written: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dirent of await readdir(outDir, { withFileTypes: true })) {
    if (!dirent.isDirectory()) continue;
    for (const name of await readdir(path.join(outDir, dirent.name))) {
      const relative = `${dirent.name}/${name}`;
      if (name.endsWith('.wav') && !written.has(relative)) {
        await rm(path.join(outDir, relative));
        removed.push(relative);
      }
    }
  }
  return removed;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const espeakVersion = await toolVersion('espeak-ng');
  if (espeakVersion === null) {
    console.error('espeak-ng is not installed. On Debian/Ubuntu: sudo apt-get install espeak-ng (the English and Russian voices are included).');
    process.exit(2);
  }
  const soxVersion = await toolVersion('sox');
  if (soxVersion === null) {
    console.error('sox is not installed. On Debian/Ubuntu: sudo apt-get install sox');
    process.exit(2);
  }

  const selected = DEFAULT_PROMPTS.filter((p) => !options.only || options.only.has(`${p.language}/${p.id}`));
  if (options.only) {
    const known = new Set(DEFAULT_PROMPTS.map((p) => `${p.language}/${p.id}`));
    const unknown = [...options.only].filter((key) => !known.has(key));
    if (unknown.length > 0) throw new Error(`not in DEFAULT_PROMPTS: ${unknown.join(', ')}`);
  }

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-prompts-'));
  const entries: PromptManifestEntry[] = [];
  try {
    for (const entry of selected) {
      const bytes = await synthesize(entry, workDir);
      const info = parseWav(bytes);
      if (!isMediaServerFormat(info)) throw new Error(`${entry.language}/${entry.id}: sox wrote ${describeWav(info)}, expected 8000 Hz mono 16-bit PCM`);
      const file = promptAudioFile(entry);
      await mkdir(path.dirname(path.join(options.outDir, file)), { recursive: true });
      await writeFile(path.join(options.outDir, file), bytes);
      entries.push({
        id: entry.id, language: entry.language, text: entry.text, file,
        durationMs: info.durationMs, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      console.log(`${file.padEnd(28)} ${String(info.durationMs).padStart(6)} ms ${String(bytes.length).padStart(8)} bytes`);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  const totalBytes = entries.reduce((sum, e) => sum + e.sizeBytes, 0);
  if (options.only) {
    console.log(`${entries.length} prompt(s) written to ${options.outDir} (manifest not touched: partial run)`);
    return;
  }
  const manifest: PromptManifest = {
    format: { ...MEDIA_SERVER_FORMAT },
    generator: {
      espeakNg: espeakVersion,
      sox: soxVersion,
      espeakArgs: `${ESPEAK_ARGS.join(' ')} -v <voice> -f <text> -w <spoken.wav>`,
      soxArgs: `${SOX_REPRODUCIBLE_ARGS.join(' ')} <spoken.wav> ${SOX_MEDIA_SERVER_OUTPUT_ARGS.join(' ')} <out.wav> ${SOX_EFFECTS.join(' ')}`,
      voices: Object.entries(VOICES).map(([language, voice]) => `${language}=${voice}`).join(' '),
    },
    prompts: entries,
  };
  // No timestamp in the manifest: it must be as reproducible as the audio.
  await writeFile(path.join(options.outDir, PROMPT_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const removed = await removeStale(options.outDir, new Set(entries.map((e) => e.file)));
  for (const file of removed) console.log(`removed stale ${file}`);
  console.log(`${entries.length} prompts, ${(totalBytes / 1024).toFixed(0)} KiB, ${(entries.reduce((s, e) => s + e.durationMs, 0) / 1000).toFixed(1)} s of audio → ${options.outDir}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
