import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALAW_TO_LINEAR, ULAW_TO_LINEAR, decodeG711 } from '../../../src/media/g711';
import { encodeG711Wav, g711LawFor, PromptVariants, variantFileName } from '../../../src/media/prompt-variants';
import { parseWav } from '../../../src/media/wav-file';
import { chunk, fmtBody, riff, wav } from '../../helpers/wav-builder';

/** An 8 kHz mono 16-bit PCM WAV of a 440 Hz tone, `frames` samples long. */
function tone(frames: number): { file: Buffer; samples: Int16Array } {
  const samples = new Int16Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  return { file: riff([chunk('fmt ', fmtBody()), chunk('data', Buffer.from(samples.buffer))]), samples };
}

describe('prompts pre-encoded in the caller\'s codec (issue 16)', () => {
  it('stores prompts for PCMA and PCMU callers in their law, and for any other codec not at all', () => {
    expect(g711LawFor('PCMA')).toBe('PCMA');
    expect(g711LawFor('PCMU')).toBe('PCMU');
    expect(g711LawFor('OPUS')).toBeNull();
    expect(g711LawFor(null)).toBeNull();
  });

  it.each([['PCMA', 6, ALAW_TO_LINEAR], ['PCMU', 7, ULAW_TO_LINEAR]] as const)('a %s copy is an 8 kHz mono 8-bit WAV that sounds like the PCM prompt', (law, tag, table) => {
    const { file, samples } = tone(1001);
    const copy = encodeG711Wav(file, law);
    const info = parseWav(copy);
    expect(info).toMatchObject({ formatTag: tag, channels: 1, sampleRate: 8000, bitsPerSample: 8, dataBytes: 1001, durationMs: 125 });
    const decoded = decodeG711(copy.subarray(info.dataOffset, info.dataOffset + info.dataBytes), table);
    // G.711 keeps 8 bits of a 16-bit sample: the error stays within a step of the logarithmic scale (≤ 1/16 of the level, + 1 step near zero).
    for (let i = 0; i < samples.length; i++) {
      expect(Math.abs((decoded[i] as number) - (samples[i] as number))).toBeLessThanOrEqual(Math.abs(samples[i] as number) / 16 + 16);
    }
  });

  it('refuses to encode anything but 8 kHz mono 16-bit PCM', () => {
    expect(() => encodeG711Wav(wav({ frames: 80, channels: 2 }), 'PCMA')).toThrow(/2 channel/);
    expect(() => encodeG711Wav(wav({ frames: 80, sampleRate: 16000 }), 'PCMA')).toThrow(/16000 Hz/);
    expect(() => encodeG711Wav(wav({ frames: 80, tag: 6, bitsPerSample: 8, cbSize: true }), 'PCMA')).toThrow(/alaw/);
  });

  it('names a copy after the prompt\'s path, size and modification time, so a replaced prompt gets a new copy', () => {
    const base = { file: '/p/ru/greeting.wav', size: 68902, mtimeMs: 1_700_000_000_000 };
    expect(variantFileName(base, 'PCMA')).toMatch(/^greeting-[0-9a-f]{16}\.pcma\.wav$/);
    expect(variantFileName(base, 'PCMU')).toMatch(/\.pcmu\.wav$/);
    expect(variantFileName({ ...base, mtimeMs: base.mtimeMs + 1000 }, 'PCMA')).not.toBe(variantFileName(base, 'PCMA'));
    expect(variantFileName({ ...base, file: '/p/en/greeting.wav' }, 'PCMA')).not.toBe(variantFileName(base, 'PCMA'));
  });

  describe('PromptVariants', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'prompt-variants-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('plays the PCM file until the copy is written, then the copy, made once per law', async () => {
      const prompt = path.join(root, 'greeting.wav');
      writeFileSync(prompt, tone(800).file);
      const variants = new PromptVariants({ dir: path.join(root, 'cache') });
      expect(variants.fileFor(prompt, 'PCMA')).toBe(prompt);
      expect(variants.fileFor(prompt, 'PCMA')).toBe(prompt);
      await variants.settled();
      const copy = variants.fileFor(prompt, 'PCMA');
      expect(path.dirname(copy)).toBe(path.join(root, 'cache'));
      expect(parseWav(readFileSync(copy))).toMatchObject({ format: 'alaw', dataBytes: 800 });
      expect(variants.fileFor(prompt, 'PCMU')).toBe(prompt);
      await variants.settled();
      expect(parseWav(readFileSync(variants.fileFor(prompt, 'PCMU')))).toMatchObject({ format: 'mulaw' });
      expect(readdirSync(path.join(root, 'cache')).sort()).toHaveLength(2);
      // A browser caller (Opus) gets the PCM file: rtpengine transcodes either way.
      expect(variants.fileFor(prompt, 'OPUS')).toBe(prompt);
    });

    it('takes a copy an earlier process wrote, and makes a new one when the prompt was replaced', async () => {
      const prompt = path.join(root, 'greeting.wav');
      writeFileSync(prompt, tone(800).file);
      const first = new PromptVariants({ dir: path.join(root, 'cache') });
      first.fileFor(prompt, 'PCMA');
      await first.settled();
      const copy = first.fileFor(prompt, 'PCMA');
      const writtenAt = statSync(copy).mtimeMs;

      const second = new PromptVariants({ dir: path.join(root, 'cache') });
      second.fileFor(prompt, 'PCMA');
      await second.settled();
      expect(second.fileFor(prompt, 'PCMA')).toBe(copy);
      expect(statSync(copy).mtimeMs).toBe(writtenAt);

      writeFileSync(prompt, tone(1600).file);
      utimesSync(prompt, new Date(), new Date(Date.now() + 5000));
      const third = new PromptVariants({ dir: path.join(root, 'cache') });
      third.fileFor(prompt, 'PCMA');
      await third.settled();
      const renewed = third.fileFor(prompt, 'PCMA');
      expect(renewed).not.toBe(copy);
      expect(parseWav(readFileSync(renewed))).toMatchObject({ dataBytes: 1600 });
    });

    it('keeps playing the file itself when no copy can be made (not PCM, missing), and says so once', async () => {
      const stereo = path.join(root, 'stereo.wav');
      writeFileSync(stereo, wav({ frames: 800, channels: 2 }));
      const warnings: unknown[] = [];
      const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as ConstructorParameters<typeof PromptVariants>[0]['logger'];
      const variants = new PromptVariants({ dir: path.join(root, 'cache'), ...(logger ? { logger } : {}) });
      for (const file of [stereo, path.join(root, 'missing.wav')]) {
        expect(variants.fileFor(file, 'PCMA')).toBe(file);
        await variants.settled();
        expect(variants.fileFor(file, 'PCMA')).toBe(file);
      }
      expect(warnings).toHaveLength(2);
    });
  });
});
