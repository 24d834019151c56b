import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { convertCallRecording, findCallCaptures, recordingWavPath, rtpengineEscapedCallId } from '../../../src/media/call-recording';
import { parseWav } from '../../../src/media/wav-file';

const FIXTURE = path.join(__dirname, '../../fixtures/media/two-way-call.pcap');

describe('call recording files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-rec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('escapes call ids the way rtpengine names its captures (g_uri_escape_string)', () => {
    expect(rtpengineEscapedCallId('a1b2-c.d_e~f')).toBe('a1b2-c.d_e~f');
    expect(rtpengineEscapedCallId('abc@host/x y')).toBe('abc%40host%2Fx%20y');
    expect(rtpengineEscapedCallId('é')).toBe('%C3%A9');
  });

  it('puts a WAV under YYYY/MM/DD of the UTC start date, the call id made safe', () => {
    expect(recordingWavPath('/data/recordings', 'abc@host', new Date('2025-03-09T23:30:00Z'))).toBe('/data/recordings/2025/03/09/abc%40host.wav');
    expect(recordingWavPath('/r', '../../etc/passwd', new Date('2025-12-31T00:00:00Z'))).toBe('/r/2025/12/31/..%2F..%2Fetc%2Fpasswd.wav');
    expect(() => recordingWavPath('/r', '', new Date())).toThrow(/non-empty/);
  });

  it('finds only the captures of the call, by its escaped id and rtpengine suffix', async () => {
    mkdirSync(path.join(dir, 'pcaps'));
    for (const name of ['abc%40h-0123456789abcdef.pcap', 'abc%40h-fedcba9876543210.pcap', 'abc%40hx-0123456789abcdef.pcap', 'abc%40h-xyz.pcap', 'other-0123456789abcdef.pcap']) {
      writeFileSync(path.join(dir, 'pcaps', name), '');
    }
    expect((await findCallCaptures(dir, 'abc@h')).map((f) => path.basename(f))).toEqual(['abc%40h-0123456789abcdef.pcap', 'abc%40h-fedcba9876543210.pcap']);
    expect(await findCallCaptures(path.join(dir, 'missing'), 'abc@h')).toEqual([]);
  });

  it('converts the capture into a stereo WAV of the window length, and can remove the capture', async () => {
    mkdirSync(path.join(dir, 'pcaps'));
    const capture = path.join(dir, 'pcaps', 'fixture-call-0123456789abcdef.pcap');
    copyFileSync(FIXTURE, capture);
    const output = path.join(dir, 'out', '2025', '01', '02', 'fixture-call.wav');
    const startUs = 1795443982434540 - 100_000;
    const file = await convertCallRecording({
      recordingDir: dir, callId: 'fixture-call', outputPath: output,
      layout: { callerPorts: new Set([22218]), agentPorts: new Set([22200]) },
      window: { startUs, endUs: startUs + 400_000 }, removeCapture: true,
    });
    expect(file).toEqual({ path: output, durationMs: 400, sizeBytes: 44 + 3200 * 4 });
    const info = parseWav(readFileSync(output));
    expect(info).toMatchObject({ channels: 2, sampleRate: 8000, durationMs: 400 });
    expect(existsSync(capture)).toBe(false);
    // No partial file left beside it.
    expect(readdirSync(path.dirname(output))).toEqual(['fixture-call.wav']);
  });

  it('says NOT_FOUND when rtpengine wrote nothing for the call', async () => {
    await expect(convertCallRecording({
      recordingDir: dir, callId: 'nothing', outputPath: path.join(dir, 'x.wav'), layout: { callerPorts: new Set(), agentPorts: new Set() },
    })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
