import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RtpengineNgClient } from '../../../src/media/rtpengine-ng-client';
import { MediaSession } from '../../../src/media/media-session';
import { parseWav } from '../../../src/media/wav-file';
import { defaultPromptsDir } from '../../../src/media/prompt-audio';
import type { RunningService } from '../../../src/platform/managed-process';
import { startTestRtpengine } from '../../helpers/test-env';
import { RtpTestEndpoint, mediaPort, sleep } from './rtp-test-endpoint';

/**
 * Regression: the recording of a call whose agent phone does symmetric RTP
 * (RFC 4961) — it sends to the address and port its packets come *from*, as
 * `sipp -rtp_echo`, phones behind NAT and SBCs that latch do — had a silent
 * agent channel. rtpengine 10.5 answers the bridging `answer` with a new
 * socket pair for the agent's monologue and sends to the agent from it, but
 * the agent was told the placeholder's port in the bridging offer, so that
 * socket's port appears in no SDP; the agent's packets arrived there, were
 * forwarded to the caller and counted, but the recording layout did not know
 * the port and the mixer dropped them as unassigned.
 *
 * The root cause is fixed since: the bridging offer names the agent's tag, so
 * rtpengine writes it from the agent monologue's own socket and sends from the
 * port it advertised. The recording must still be right either way.
 */

const CALLER_SSRC = 0x33333333;
const PROMPT = path.join(defaultPromptsDir(), 'en', 'goodbye.wav');

/** A desk phone in the manner of `sipp -rtp_echo`: every datagram goes back verbatim to where it came from. */
class EchoPhone {
  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (message, remote) => {
      this.echoed++;
      this.sourcePorts.add(remote.port);
      socket.send(message, remote.port, remote.address);
    });
  }

  echoed = 0;
  readonly sourcePorts = new Set<number>();

  static async open(): Promise<EchoPhone> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new EchoPhone(socket);
  }

  /** The 200 OK's SDP: `payloadType` 8 answers like a phone that has PCMA; 0 like sipp's built-in uas (PCMU only). */
  sdp(payloadType: 0 | 8): string {
    return [
      'v=0', 'o=- 7 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
      `m=audio ${this.socket.address().port} RTP/AVP ${payloadType}`, `a=rtpmap:${payloadType} ${payloadType === 8 ? 'PCMA' : 'PCMU'}/8000`, 'a=sendrecv', '',
    ].join('\r\n');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

/** Mean absolute sample value of one channel of a 16-bit stereo WAV between two times. */
function meanAbs(wav: Buffer, channel: 0 | 1, fromMs: number, toMs: number): number {
  const info = parseWav(wav);
  const frames = info.dataBytes / 4;
  const from = Math.floor((fromMs * 8000) / 1000);
  const to = Math.min(frames, Math.floor((toMs * 8000) / 1000));
  let sum = 0;
  for (let i = from; i < to; i++) sum += Math.abs(wav.readInt16LE(info.dataOffset + i * 4 + channel * 2));
  return sum / Math.max(1, to - from);
}

describe('recording a call whose agent phone sends where rtpengine sends from (symmetric RTP, like sipp -rtp_echo)', () => {
  let rtpengine: RunningService & { ngPort: number; recordingDir: string };
  let ng: RtpengineNgClient;
  let scratch: string;

  beforeAll(async () => {
    rtpengine = await startTestRtpengine();
    ng = new RtpengineNgClient({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 3000 });
    scratch = mkdtempSync(path.join(os.tmpdir(), 'switchboard-media-echo-'));
  });
  afterAll(async () => {
    ng.close();
    try {
      await rtpengine.stop();
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it.each([
    ['answers PCMA', 8 as const],
    ['answers PCMU only, so rtpengine transcodes (sipp\'s built-in uas)', 0 as const],
  ])('puts the agent on the right channel when the phone %s, after the call session\'s own command sequence', async (_label, payloadType) => {
    const callId = `echo-${randomBytes(6).toString('hex')}@switchboard.test`;
    const caller = await RtpTestEndpoint.open(CALLER_SSRC);
    const phone = await EchoPhone.open();
    const session = new MediaSession({ ng, callId, caller: { tag: `c-${randomBytes(3).toString('hex')}`, kind: 'sip' }, recordingDir: rtpengine.recordingDir });
    const output = path.join(scratch, `${randomBytes(4).toString('hex')}.wav`);
    let agentOffer = '';
    try {
      // What src/sip/inbound-call.ts does: anchor, a prompt, music on hold in the queue, offer, answer, stop, record.
      const callerAnswer = await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      await session.playPrompt(PROMPT);
      await sleep(100);
      await session.startMusicOnHold(PROMPT);
      agentOffer = await session.offerToAgent('sip', 'agent-echo');
      await session.acceptAgentAnswer('agent-echo', phone.sdp(payloadType));
      await session.stopPlayback();
      await session.startRecording();
      // The caller talks for 2 s (A-law 0xaa = +32256); the phone sends back whatever reaches it.
      await caller.sendAudio(mediaPort(callerAnswer), 100, 0xaa);
      await sleep(200);
      const counters = await session.counters();
      expect(counters.caller.rtp.packets).toBeGreaterThanOrEqual(95);
      expect(counters.agent?.rtp.packets).toBeGreaterThanOrEqual(90);
    } finally {
      await session.delete();
      await Promise.all([caller.close(), phone.close()]);
    }
    // rtpengine now reaches the phone from the very port its offer named (it did not before the fix above).
    expect(phone.echoed).toBeGreaterThanOrEqual(90);
    expect([...phone.sourcePorts]).toEqual([mediaPort(agentOffer)]);

    const file = await session.saveRecording(output);
    const wav = readFileSync(file.path);
    expect(parseWav(wav)).toMatchObject({ channels: 2, sampleRate: 8000, bitsPerSample: 16 });
    expect(meanAbs(wav, 0, 200, 1800)).toBeGreaterThan(30000);
    // The echo of 0xaa: the same level back, after a round trip of a few ms (transcoded: μ-law's nearest, within 1 %).
    expect(meanAbs(wav, 1, 200, 1800)).toBeGreaterThan(30000);
  });
});
