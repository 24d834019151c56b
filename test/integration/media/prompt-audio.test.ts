import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PROMPTS } from '../../../src/ivr/default-prompts';
import { promptAudioFile } from '../../../src/ivr/prompt-catalogue';
import { AppError } from '../../../src/errors/app-error';
import { convertForMediaServer, defaultPromptsDir, readPromptManifest, validateUploadedPrompt, type PromptManifest } from '../../../src/media/prompt-audio';
import { parseWav, type WavInfo } from '../../../src/media/wav-file';
import { projectRoot } from '../../../src/platform/project-root';

/** The version number a tool prints, or null when it is not installed (same parsing as the generation script). */
function installedVersion(binary: string): string | null {
  try {
    const firstLine = execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
    return /\bv?(\d+(?:\.\d+)+)/.exec(firstLine)?.[1] ?? firstLine.trim();
  } catch {
    return null;
  }
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the call succeeded');
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const tsxCli = path.join(projectRoot(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
const script = path.join(projectRoot(), 'scripts', 'generate-prompts.ts');

function expectMediaServerFormat(info: WavInfo): void {
  expect({ format: info.format, sampleRate: info.sampleRate, channels: info.channels, bitsPerSample: info.bitsPerSample }).toEqual({ format: 'pcm', sampleRate: 8000, channels: 1, bitsPerSample: 16 });
}

describe('convertForMediaServer (real sox)', () => {
  let dir: string;
  /** Makes a test input with sox itself, so the inputs are files a real tool writes. */
  const synth = (name: string, formatArgs: string[], seconds: number): Buffer => {
    const file = path.join(dir, 'in', name);
    execFileSync('sox', ['-R', '-n', ...formatArgs, file, 'synth', String(seconds), 'sine', '300-3000']);
    return readFileSync(file);
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-prompt-test-'));
    mkdirSync(path.join(dir, 'in'));
    mkdirSync(path.join(dir, 'out'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns a 44.1 kHz stereo 16-bit WAV into 8 kHz mono 16-bit PCM of the same length', async () => {
    const input = synth('stereo.wav', ['-r', '44100', '-c', '2', '-b', '16'], 1.5);
    expect(validateUploadedPrompt(input)).toMatchObject({ format: 'pcm', sampleRate: 44100, channels: 2 });
    const out = path.join(dir, 'out', 'stereo.wav');
    const result = await convertForMediaServer(input, out);
    const bytes = readFileSync(out);
    const info = parseWav(bytes);
    expectMediaServerFormat(info);
    expect(info.durationMs).toBe(1500);
    expect(result).toEqual({ durationMs: 1500, sizeBytes: bytes.length });
    // Only the finished file is left next to the target: no partial file.
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['stereo.wav']);
  });

  it('turns an A-law WAV into 16-bit PCM', async () => {
    const input = synth('alaw.wav', ['-r', '8000', '-c', '1', '-e', 'a-law'], 0.7);
    expect(validateUploadedPrompt(input)).toMatchObject({ format: 'alaw', bitsPerSample: 8 });
    const out = path.join(dir, 'out', 'alaw-converted.wav');
    const result = await convertForMediaServer(input, out);
    const info = parseWav(readFileSync(out));
    expectMediaServerFormat(info);
    expect(info.durationMs).toBe(700);
    expect(result.durationMs).toBe(700);
  });

  it('turns a 24-bit 48 kHz WAVE_FORMAT_EXTENSIBLE file into 8 kHz mono', async () => {
    const input = synth('ext.wav', ['-r', '48000', '-c', '2', '-b', '24'], 0.5);
    expect(validateUploadedPrompt(input)).toMatchObject({ extensible: true, format: 'pcm', bitsPerSample: 24 });
    const out = path.join(dir, 'out', 'nested', 'ext.wav');
    await convertForMediaServer(input, out);
    const info = parseWav(readFileSync(out));
    expectMediaServerFormat(info);
    expect(info.durationMs).toBe(500);
  });

  it('gives the same bytes for the same upload (no dither), and replaces an existing file', async () => {
    const input = synth('float.wav', ['-r', '22050', '-c', '1', '-e', 'floating-point', '-b', '32'], 0.4);
    const out = path.join(dir, 'out', 'float.wav');
    await convertForMediaServer(input, out);
    const first = readFileSync(out);
    await convertForMediaServer(input, out);
    expect(sha256(readFileSync(out))).toBe(sha256(first));
  });

  it('refuses a recording over 5 minutes and writes nothing', async () => {
    const input = synth('long.wav', ['-r', '8000', '-c', '1', '-b', '8'], 310);
    const out = path.join(dir, 'out', 'long.wav');
    const err = await refusal(convertForMediaServer(input, out));
    expect(err.code).toBe('BAD_AUDIO');
    expect(err.message).toBe('the recording is 5 min 10 s long; the maximum is 5 min');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a file that is not WAV (an AIFF)', async () => {
    const input = synth('tone.aiff', ['-t', 'aiff', '-r', '8000', '-c', '1'], 0.5);
    const err = await refusal(convertForMediaServer(input, path.join(dir, 'out', 'aiff.wav')));
    expect(err.code).toBe('BAD_AUDIO');
    expect(err.message).toBe('not a WAV file (no RIFF header)');
  });

  it('refuses a file over 10 MiB', async () => {
    const input = synth('big.wav', ['-r', '48000', '-c', '2', '-b', '24'], 40);
    expect(input.length).toBeGreaterThan(10 * 1024 * 1024);
    const err = await refusal(convertForMediaServer(input, path.join(dir, 'out', 'big.wav')));
    expect(err.code).toBe('BAD_AUDIO');
    expect(err.message).toMatch(/^the file is 11 MiB; the limit is 10 MiB$/);
  });

  it('reports sox missing as a dependency problem with the install hint', async () => {
    const input = synth('ok.wav', ['-r', '8000', '-c', '1', '-b', '16'], 0.5);
    const err = await refusal(convertForMediaServer(input, path.join(dir, 'out', 'nosox.wav'), { soxBinary: path.join(dir, 'no-such-sox') }));
    expect(err.code).toBe('DEPENDENCY_DOWN');
    expect(err.message).toMatch(/apt-get install sox/);
  });

  it("puts sox's stderr in the error, and leaves no partial file, when sox fails", async () => {
    const failing = path.join(dir, 'failing-sox');
    writeFileSync(failing, '#!/bin/sh\necho "sox FAIL formats: cannot open input file" >&2\nexit 2\n');
    chmodSync(failing, 0o755);
    const input = synth('ok2.wav', ['-r', '8000', '-c', '1', '-b', '16'], 0.5);
    const outDir = path.join(dir, 'out-failing');
    const err = await refusal(convertForMediaServer(input, path.join(outDir, 'x.wav'), { soxBinary: failing }));
    expect(err.code).toBe('BAD_AUDIO');
    expect(err.message).toBe('sox could not convert the file (exit code 2): sox FAIL formats: cannot open input file');
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('stops sox after the timeout', async () => {
    const hanging = path.join(dir, 'hanging-sox');
    writeFileSync(hanging, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(hanging, 0o755);
    const input = synth('ok3.wav', ['-r', '8000', '-c', '1', '-b', '16'], 0.5);
    const started = Date.now();
    const err = await refusal(convertForMediaServer(input, path.join(dir, 'out', 'hang.wav'), { soxBinary: hanging, timeoutMs: 300 }));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toMatch(/^sox did not finish within 0\.3 s and was stopped/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('shipped default prompts (prompts/default)', () => {
  const promptsDir = defaultPromptsDir();
  let manifest: PromptManifest;
  beforeAll(async () => {
    manifest = await readPromptManifest();
  });

  it('the manifest lists exactly DEFAULT_PROMPTS, in order, at their catalogue file names', () => {
    expect(manifest.prompts.map(({ id, language, text, file }) => ({ id, language, text, file }))).toEqual(
      DEFAULT_PROMPTS.map((p) => ({ id: p.id, language: p.language, text: p.text, file: promptAudioFile(p) })),
    );
    expect(manifest.format).toEqual({ format: 'pcm', sampleRate: 8000, channels: 1, bitsPerSample: 16 });
  });

  it.each(DEFAULT_PROMPTS.map((p) => [promptAudioFile(p)]))('%s exists, is 8 kHz mono 16-bit PCM over 200 ms, at -3 dBFS peak, and matches the manifest', (file) => {
    const bytes = readFileSync(path.join(promptsDir, file));
    const info = parseWav(bytes);
    expectMediaServerFormat(info);
    // Announcement pieces are single words (Russian 'и' is about 240 ms); the peak below proves there is speech in it.
    expect(info.durationMs).toBeGreaterThan(200);
    const entry = manifest.prompts.find((e) => e.file === file);
    expect(entry).toMatchObject({ durationMs: info.durationMs, sizeBytes: bytes.length, sha256: sha256(bytes) });
    // Speech normalised to -3 dBFS (≈ 23197): proves it is neither silence nor clipped.
    let peak = 0;
    for (let offset = info.dataOffset; offset + 1 < info.dataOffset + info.dataBytes; offset += 2) peak = Math.max(peak, Math.abs(bytes.readInt16LE(offset)));
    expect(peak).toBeGreaterThan(20000);
    expect(peak).toBeLessThanOrEqual(23198);
  });

  // The catalogue holds the queue announcements' and opening hours' spoken pieces and five greeting variants per
  // language (issue 17): about 6 MB of 8 kHz speech. The bound still catches a stray 44.1 kHz or stereo recording.
  it('holds no stray WAV files and stays under 8 MB in total', () => {
    const files = readdirSync(promptsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(path.join(promptsDir, d.name)).map((name) => `${d.name}/${name}`));
    expect(files.sort()).toEqual(manifest.prompts.map((e) => e.file).sort());
    const total = files.reduce((sum, f) => sum + statSync(path.join(promptsDir, f)).size, 0) + statSync(path.join(promptsDir, 'manifest.json')).size;
    expect(total).toBeLessThan(8_000_000);
  });

  // Reproducibility: only meaningful with the tool versions the files were made with.
  const shipped = JSON.parse(readFileSync(path.join(projectRoot(), 'prompts', 'default', 'manifest.json'), 'utf8')) as PromptManifest;
  const espeak = installedVersion('espeak-ng');
  const sox = installedVersion('sox');
  const sample = ['en/greeting', 'ru/main_menu'];
  if (espeak === null || sox === null) {
    it.skip(`SKIPPED reproducibility check: needs espeak-ng and sox (apt-get install espeak-ng sox); found espeak-ng ${espeak ?? 'none'}, sox ${sox ?? 'none'}`, () => undefined);
  } else if (espeak !== shipped.generator.espeakNg || sox !== shipped.generator.sox) {
    it.skip(`SKIPPED reproducibility check: files were made with espeak-ng ${shipped.generator.espeakNg} + sox ${shipped.generator.sox}, this machine has ${espeak} + ${sox}`, () => undefined);
  } else {
    it(`regenerating ${sample.join(' and ')} with espeak-ng ${espeak} + sox ${sox} gives the shipped bytes (reproducibility)`, () => {
      const out = mkdtempSync(path.join(os.tmpdir(), 'switchboard-regen-'));
      try {
        const run = spawnSync(process.execPath, [tsxCli, script, '--out', out, ...sample.flatMap((s) => ['--only', s])], { encoding: 'utf8' });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        for (const key of sample) {
          const regenerated = readFileSync(path.join(out, `${key}.wav`));
          expect(sha256(regenerated)).toBe(sha256(readFileSync(path.join(projectRoot(), 'prompts', 'default', `${key}.wav`))));
        }
        // A partial run must not write a manifest.
        expect(existsSync(path.join(out, 'manifest.json'))).toBe(false);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }

  it('the generation script says how to install espeak-ng, and exits non-zero, when it is missing', () => {
    const emptyPath = mkdtempSync(path.join(os.tmpdir(), 'switchboard-nopath-'));
    const out = mkdtempSync(path.join(os.tmpdir(), 'switchboard-regen-'));
    try {
      const run = spawnSync(process.execPath, [tsxCli, script, '--out', out], { encoding: 'utf8', env: { ...process.env, PATH: emptyPath } });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/espeak-ng is not installed\. On Debian\/Ubuntu: sudo apt-get install espeak-ng/);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
});
