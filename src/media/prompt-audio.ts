import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { AppError } from '../errors/app-error';
import { projectRoot } from '../platform/project-root';
import { describeWav, parseWav, type WavInfo } from './wav-file';

/**
 * Prompt audio: checking an admin's upload, converting it to what rtpengine's
 * `play media` takes, and reading the manifest of the shipped default prompts.
 */

/** What every prompt file handed to rtpengine is: 8 kHz mono 16-bit PCM WAV, the narrowband telephone rate. */
export const MEDIA_SERVER_FORMAT = { format: 'pcm', sampleRate: 8000, channels: 1, bitsPerSample: 16 } as const;

/**
 * sox global options that make a conversion a pure function of its input:
 * no dither (`-D`; dither is pseudo-random noise, different on every run) and
 * repeatable mode (`-R`, fixed seeds and timestamps wherever sox would use
 * them). `-V1` keeps stderr to real errors, so that what we report is the cause.
 */
export const SOX_REPRODUCIBLE_ARGS: readonly string[] = ['-D', '-R', '-V1'];

/** sox output-file options for MEDIA_SERVER_FORMAT; sox inserts the rate and channel-mix effects itself. */
export const SOX_MEDIA_SERVER_OUTPUT_ARGS: readonly string[] = [
  '-t', 'wav', '-e', 'signed-integer', '-b', String(MEDIA_SERVER_FORMAT.bitsPerSample),
  '-r', String(MEDIA_SERVER_FORMAT.sampleRate), '-c', String(MEDIA_SERVER_FORMAT.channels),
];

/** The limits an uploaded prompt must meet; the messages of validateUploadedPrompt name them. */
export const PROMPT_UPLOAD_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  minDurationMs: 200,
  maxDurationMs: 5 * 60 * 1000,
  minSampleRate: 8000,
  maxSampleRate: 48000,
  minChannels: 1,
  maxChannels: 2,
  pcmBits: [8, 16, 24],
} as const;

function bad(message: string): AppError {
  return new AppError('BAD_AUDIO', message);
}

/** Rounded up to 0.1 MiB, so that a file just over the limit never reads as "10 MiB". */
function mebibytes(bytes: number): string {
  return `${Math.ceil((bytes * 10) / (1024 * 1024)) / 10} MiB`;
}

/** "0.15 s", "42.3 s", "6 min 5 s": precise where the limit is short, readable where it is long. */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms / 10) / 100} s`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/**
 * Checks an admin's prompt upload before anything is written or converted:
 * a WAV file of at most 10 MiB, 0.2 s to 5 min long, PCM (8, 16 or 24-bit),
 * A-law, µ-law or floating point, 8–48 kHz, mono or stereo.
 *
 * @returns the parsed header.
 * @throws AppError `BAD_AUDIO` with a message for the admin that names the limit.
 */
export function validateUploadedPrompt(bytes: Buffer): WavInfo {
  const limits = PROMPT_UPLOAD_LIMITS;
  if (bytes.length === 0) throw bad('the file is empty');
  if (bytes.length > limits.maxBytes) {
    throw bad(`the file is ${mebibytes(bytes.length)}; the limit is ${mebibytes(limits.maxBytes)}`);
  }
  const info = parseWav(bytes);
  const accepted = 'accepted are PCM (8, 16 or 24-bit), A-law, µ-law or floating-point WAV';
  switch (info.format) {
    case 'pcm':
      if (!(limits.pcmBits as readonly number[]).includes(info.bitsPerSample)) {
        throw bad(`${info.bitsPerSample}-bit PCM is not accepted; use 8, 16 or 24-bit PCM`);
      }
      break;
    case 'alaw':
    case 'mulaw':
    case 'float':
      break;
    default:
      throw bad(`unsupported encoding: ${describeWav(info)}; ${accepted}`);
  }
  if (info.sampleRate < limits.minSampleRate || info.sampleRate > limits.maxSampleRate) {
    throw bad(`the sample rate is ${info.sampleRate} Hz; it must be between ${limits.minSampleRate} and ${limits.maxSampleRate} Hz`);
  }
  if (info.channels < limits.minChannels || info.channels > limits.maxChannels) {
    throw bad(`the file has ${info.channels} channels; prompts must be mono or stereo (1–2 channels)`);
  }
  if (info.durationMs < limits.minDurationMs) {
    throw bad(`the recording is ${duration(info.durationMs)} long; the minimum is ${duration(limits.minDurationMs)}`);
  }
  if (info.durationMs > limits.maxDurationMs) {
    throw bad(`the recording is ${duration(info.durationMs)} long; the maximum is ${duration(limits.maxDurationMs)}`);
  }
  return info;
}

/** Options of convertForMediaServer. */
export interface ConvertOptions {
  /** Kill sox after this long; a 10 MiB file takes well under a second. Default 30 s. */
  timeoutMs?: number;
  /** The sox executable; default `sox` from PATH. */
  soxBinary?: string;
}

/** The prompt as written for the media server. */
export interface ConvertedPrompt {
  durationMs: number;
  sizeBytes: number;
}

const STDERR_LIMIT = 4096;

/** Runs sox once; rejects with an AppError carrying sox's stderr. */
function runSox(binary: string, args: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk.slice(0, STDERR_LIMIT - stderr.length);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === 'ENOENT'
          ? new AppError('DEPENDENCY_DOWN', `sox is not installed (${binary} not found); on Debian: apt-get install sox`, [], { cause: err })
          : new AppError('INTERNAL', `cannot run sox: ${err.message}`, [], { cause: err }),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const detail = stderr.trim();
      if (timedOut) reject(new AppError('INTERNAL', `sox did not finish within ${duration(timeoutMs)} and was stopped${detail ? `: ${detail}` : ''}`));
      else if (code !== 0) reject(bad(`sox could not convert the file (${signal ? `signal ${signal}` : `exit code ${code}`})${detail ? `: ${detail}` : ''}`));
      else resolve();
    });
  });
}

/**
 * Validates an uploaded prompt and writes it to `outputPath` as MEDIA_SERVER_FORMAT
 * (stereo is mixed down, the rate converted, no dither so the same upload
 * always gives the same bytes). The file appears at `outputPath` only once it
 * is complete — a prompt being replaced is never played half-written.
 *
 * @throws AppError `BAD_AUDIO` (refused or unreadable upload), `DEPENDENCY_DOWN` (no sox), `INTERNAL` (timeout, unexpected output).
 */
export async function convertForMediaServer(inputBytes: Buffer, outputPath: string, options: ConvertOptions = {}): Promise<ConvertedPrompt> {
  validateUploadedPrompt(inputBytes);
  // Written next to the target so that the final rename stays on one filesystem (atomic).
  await mkdir(path.dirname(outputPath), { recursive: true });
  const partial = path.join(path.dirname(outputPath), `.${path.basename(outputPath)}.${randomBytes(4).toString('hex')}.partial`);
  // Created last before `try`, so nothing that can fail stands between it and its removal.
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-prompt-'));
  try {
    const input = path.join(workDir, 'upload.wav');
    await writeFile(input, inputBytes);
    await runSox(
      options.soxBinary ?? 'sox',
      [...SOX_REPRODUCIBLE_ARGS, '--no-glob', '-t', 'wav', input, ...SOX_MEDIA_SERVER_OUTPUT_ARGS, '--no-glob', partial],
      options.timeoutMs ?? 30_000,
    );
    const output = await readFile(partial);
    const info = parseWav(output);
    if (!isMediaServerFormat(info)) {
      throw new AppError('INTERNAL', `sox wrote ${describeWav(info)}, not 8000 Hz mono 16-bit PCM`);
    }
    await rename(partial, outputPath);
    return { durationMs: info.durationMs, sizeBytes: output.length };
  } finally {
    await rm(workDir, { recursive: true, force: true });
    // Gone already after a successful rename; left over after any failure.
    await rm(partial, { force: true });
  }
}

/** True when a parsed file is exactly what rtpengine is given (MEDIA_SERVER_FORMAT). */
export function isMediaServerFormat(info: WavInfo): boolean {
  return (
    info.format === MEDIA_SERVER_FORMAT.format &&
    info.sampleRate === MEDIA_SERVER_FORMAT.sampleRate &&
    info.channels === MEDIA_SERVER_FORMAT.channels &&
    info.bitsPerSample === MEDIA_SERVER_FORMAT.bitsPerSample
  );
}

/** One shipped prompt file, as listed in `prompts/default/manifest.json`. */
export const PromptManifestEntrySchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    language: Type.String({ minLength: 2 }),
    text: Type.String({ minLength: 1 }),
    /** Relative to the manifest's folder: `<language>/<id>.wav` (promptAudioFile). */
    file: Type.String({ minLength: 1 }),
    durationMs: Type.Integer({ minimum: 0 }),
    sizeBytes: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);
/** One shipped prompt file, as listed in `prompts/default/manifest.json`. */
export type PromptManifestEntry = Static<typeof PromptManifestEntrySchema>;

/** The manifest the generation script writes next to the default prompts. */
export const PromptManifestSchema = Type.Object(
  {
    format: Type.Object({
      format: Type.Literal(MEDIA_SERVER_FORMAT.format),
      sampleRate: Type.Literal(MEDIA_SERVER_FORMAT.sampleRate),
      channels: Type.Literal(MEDIA_SERVER_FORMAT.channels),
      bitsPerSample: Type.Literal(MEDIA_SERVER_FORMAT.bitsPerSample),
    }),
    /** Tool versions and the command line: the same versions give the same bytes. */
    generator: Type.Record(Type.String(), Type.String()),
    prompts: Type.Array(PromptManifestEntrySchema),
  },
  { additionalProperties: false },
);
/** The manifest the generation script writes next to the default prompts. */
export type PromptManifest = Static<typeof PromptManifestSchema>;

const manifestCheck = TypeCompiler.Compile(PromptManifestSchema);

/** The folder of the shipped default prompts: `<project root>/prompts/default`. */
export function defaultPromptsDir(): string {
  return path.join(projectRoot(), 'prompts', 'default');
}

/** The file name of the manifest inside a prompts folder. */
export const PROMPT_MANIFEST_FILE = 'manifest.json';

/**
 * Reads and checks the manifest of the shipped default prompts (written by
 * `scripts/generate-prompts.ts`). Entries' `file` is relative to `dir`.
 *
 * @throws AppError `INTERNAL` when the manifest is missing or does not match its schema (a broken checkout, not a user error).
 */
export async function readPromptManifest(dir: string = defaultPromptsDir()): Promise<PromptManifest> {
  const file = path.join(dir, PROMPT_MANIFEST_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new AppError('INTERNAL', `cannot read the prompt manifest ${file}: ${(err as Error).message}; run the prompt generation script (npm run prompts:generate)`, [], { cause: err });
  }
  if (!manifestCheck.Check(parsed)) {
    const first = manifestCheck.Errors(parsed).First();
    throw new AppError('INTERNAL', `the prompt manifest ${file} is invalid${first ? ` at ${first.path || '/'}: ${first.message}` : ''}`);
  }
  return parsed;
}
