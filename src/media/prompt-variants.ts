import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger';
import { encodeG711, type G711Law } from './g711';
import { MEDIA_SERVER_FORMAT } from './prompt-audio';
import { parseWav } from './wav-file';

/**
 * Prompts stored pre-encoded in the caller's codec (issue 16). rtpengine 10.5
 * plays a prompt by decoding the file and encoding every 20 ms packet for the
 * caller; measured with bench:sip's media baseline (150 calls/s, 3 s calls,
 * userspace rtpengine), a greeting stored as 8-bit A-law or µ-law WAV cost
 * rtpengine 4.2–4.6 ms of CPU per call against 6.8–7.3 ms for the same
 * greeting as 16-bit PCM. So each prompt (8 kHz mono 16-bit PCM, as every
 * prompt handed to rtpengine is) gets a G.711 copy, made once on first use
 * in a cache folder; until it is written, and for callers in any other codec
 * (a browser's Opus), the PCM file plays as before.
 */

/** The G.711 law a prompt for a caller sent `codec` is best stored in; null for any other codec. */
export function g711LawFor(codec: string | null): G711Law | null {
  return codec === 'PCMA' || codec === 'PCMU' ? codec : null;
}

const FORMAT_TAG: Record<G711Law, number> = { PCMA: 0x0006, PCMU: 0x0007 };

/**
 * A G.711 WAV (8 kHz mono, one byte per sample) of an 8 kHz mono 16-bit PCM
 * WAV, laid out as sox writes one: an 18-byte fmt chunk, a fact chunk with
 * the sample count, the data. Pure.
 *
 * @throws Error when `wav` is not 8 kHz mono 16-bit PCM.
 */
export function encodeG711Wav(wav: Buffer, law: G711Law): Buffer {
  const info = parseWav(wav);
  const want = MEDIA_SERVER_FORMAT;
  if (info.format !== want.format || info.bitsPerSample !== want.bitsPerSample || info.sampleRate !== want.sampleRate || info.channels !== want.channels) {
    throw new Error(`not ${want.sampleRate} Hz mono ${want.bitsPerSample}-bit PCM: ${info.format}, ${info.bitsPerSample} bit, ${info.sampleRate} Hz, ${info.channels} channel(s)`);
  }
  const count = Math.floor(info.dataBytes / 2);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = wav.readInt16LE(info.dataOffset + i * 2);
  const codes = encodeG711(samples, law);
  const header = Buffer.alloc(58);
  const padded = codes.length % 2; // RIFF chunks are word-aligned
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(header.length - 8 + codes.length + padded, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(18, 16);
  header.writeUInt16LE(FORMAT_TAG[law], 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(want.sampleRate, 24);
  header.writeUInt32LE(want.sampleRate, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.writeUInt16LE(0, 36);
  header.write('fact', 38, 'latin1');
  header.writeUInt32LE(4, 42);
  header.writeUInt32LE(codes.length, 46);
  header.write('data', 50, 'latin1');
  header.writeUInt32LE(codes.length, 54);
  return Buffer.concat([header, codes, Buffer.alloc(padded)]);
}

/**
 * The cache file for `law` of a prompt file: named after its path, size and
 * modification time, so that a prompt replaced in place (a regenerated
 * default) is never played from a stale copy. Pure.
 */
export function variantFileName(source: { file: string; size: number; mtimeMs: number }, law: G711Law): string {
  const digest = createHash('sha256').update(`${path.resolve(source.file)}\n${source.size}\n${Math.round(source.mtimeMs)}`).digest('hex').slice(0, 16);
  return `${path.basename(source.file, path.extname(source.file))}-${digest}.${law.toLowerCase()}.wav`;
}

/** Options of PromptVariants. */
export interface PromptVariantsOptions {
  /** Where the copies go; rtpengine must read it (as it reads the prompts). */
  dir: string;
  logger?: Logger;
}

/** The G.711 copies of prompt files, made on first use and then played instead of the PCM file. */
export class PromptVariants {
  /** `${law}:${file}` → the copy, or why there is none yet. */
  private readonly known = new Map<string, { state: 'ready'; copy: string } | { state: 'pending'; done: Promise<void> } | { state: 'unusable' }>();

  constructor(private readonly options: PromptVariantsOptions) {}

  /**
   * The file to play to a caller sent `codec`: the G.711 copy when it exists,
   * else `file` (and the copy is started, for the next calls).
   */
  fileFor(file: string, codec: string | null): string {
    const law = g711LawFor(codec);
    if (!law) return file;
    const key = `${law}:${file}`;
    const known = this.known.get(key);
    if (known?.state === 'ready') return known.copy;
    if (known === undefined) {
      const done = this.prepare(file, law).then(
        (copy) => void this.known.set(key, { state: 'ready', copy }),
        (err: unknown) => {
          this.known.set(key, { state: 'unusable' });
          this.options.logger?.warn({ err, file, law }, 'no G.711 copy of the prompt: the PCM file plays instead');
        },
      );
      this.known.set(key, { state: 'pending', done });
    }
    return file;
  }

  /** Waits for every copy started so far (tests, and a warm-up that wants them ready). */
  async settled(): Promise<void> {
    await Promise.all([...this.known.values()].flatMap((v) => (v.state === 'pending' ? [v.done] : [])));
  }

  private async prepare(file: string, law: G711Law): Promise<string> {
    const source = await stat(file);
    const target = path.join(this.options.dir, variantFileName({ file, size: source.size, mtimeMs: source.mtimeMs }, law));
    const existing = await stat(target).catch(() => null);
    if (existing?.isFile()) return target;
    const encoded = encodeG711Wav(await readFile(file), law);
    await mkdir(this.options.dir, { recursive: true });
    // Written aside and renamed: rtpengine never opens a half-written copy.
    const partial = `${target}.${process.pid}.partial`;
    await writeFile(partial, encoded);
    await rename(partial, target);
    return target;
  }
}
