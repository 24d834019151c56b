import dgram from 'node:dgram';
import { decodeG711, encodeG711, g711TableFor } from '../../../src/media/g711';
import { parseRtp } from '../../../src/media/rtp-packet';
import { sleep } from './rtp-test-endpoint';

/**
 * Plain RTP endpoints on loopback for the monitoring tests: a party that
 * talks a steady tone in PCMA (caller 440 Hz, agent 660 Hz, supervisor
 * 880 Hz), and a receiver with one socket per m= section of a subscription
 * offer, which decodes what reaches each.
 */

const SAMPLES_PER_PACKET = 160;
const RATE = 8000;

/** Decoded audio arriving on one socket, with the SSRCs it came from. */
class ReceivedAudio {
  readonly samples: number[] = [];
  readonly ssrcs = new Set<number>();
  packets = 0;

  add(message: Buffer): void {
    const rtp = parseRtp(message);
    if (!rtp) return;
    const table = g711TableFor(rtp.payloadType);
    if (!table) return;
    this.packets++;
    this.ssrcs.add(rtp.ssrc);
    for (const s of decodeG711(rtp.payload, table)) this.samples.push(s);
  }

  /** The last `ms` of audio received. */
  last(ms: number): number[] {
    return this.samples.slice(-Math.floor((ms * RATE) / 1000));
  }

  /** Where the audio received so far ends: `since(mark())` is what arrives from now on. */
  mark(): number {
    return this.samples.length;
  }

  /** The audio received after `mark`. */
  since(mark: number): number[] {
    return this.samples.slice(mark);
  }

  clear(): void {
    this.samples.length = 0;
    this.ssrcs.clear();
    this.packets = 0;
  }
}

async function openSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

function sdpHeader(sessionId: number): string[] {
  return ['v=0', `o=- ${sessionId} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0'];
}

/** A party of the call: sends a tone to where rtpengine told it, hears what comes back. */
export class TonePhone {
  readonly heard = new ReceivedAudio();
  private sequence = 1;
  private timestamp = 0;
  private phase = 0;
  private talking: Promise<void> | null = null;
  private quiet = false;

  private constructor(private readonly socket: dgram.Socket, readonly ssrc: number) {
    socket.on('message', (message) => this.heard.add(message));
  }

  static async open(ssrc: number): Promise<TonePhone> {
    return new TonePhone(await openSocket(), ssrc);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** PCMA only, so that every participant's media can be forwarded untranscoded. */
  sdp(sessionId: number, direction: 'sendrecv' | 'sendonly' | 'recvonly' = 'sendrecv'): string {
    return [...sdpHeader(sessionId), `m=audio ${this.port} RTP/AVP 8`, 'a=rtpmap:8 PCMA/8000', `a=${direction}`, ''].join('\r\n');
  }

  /** Starts sending `hz` (about -12 dBFS) every 20 ms to `toPort` until stop(). */
  talk(toPort: number, hz: number): void {
    this.quiet = false;
    this.talking = (async () => {
      // On an absolute 20 ms schedule: a sleep(20) per packet runs late, a little slower than real time, and a
      // mixer (whisper-barge.test.ts) then runs out of that party's audio and garbles it once the drift passes its jitter buffer.
      const started = Date.now();
      let sent = 0;
      while (!this.quiet) {
        const pcm = new Int16Array(SAMPLES_PER_PACKET);
        for (let i = 0; i < pcm.length; i++) {
          pcm[i] = Math.round(8000 * Math.sin(this.phase));
          this.phase += (2 * Math.PI * hz) / RATE;
        }
        const packet = Buffer.alloc(12 + SAMPLES_PER_PACKET);
        packet[0] = 0x80;
        packet[1] = 8;
        packet.writeUInt16BE(this.sequence, 2);
        packet.writeUInt32BE(this.timestamp, 4);
        packet.writeUInt32BE(this.ssrc, 8);
        Buffer.from(encodeG711(pcm, 'PCMA')).copy(packet, 12);
        this.sequence = (this.sequence + 1) & 0xffff;
        this.timestamp = (this.timestamp + SAMPLES_PER_PACKET) >>> 0;
        this.socket.send(packet, toPort, '127.0.0.1');
        sent++;
        await sleep(Math.max(0, started + sent * 20 - Date.now()));
      }
    })();
  }

  async stop(): Promise<void> {
    this.quiet = true;
    await this.talking;
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

/** A supervisor's plain-RTP device: one socket per offered m= section, answered recvonly in PCMA. */
export class ForkReceiver {
  private constructor(private readonly sockets: dgram.Socket[], readonly streams: ReceivedAudio[]) {
    sockets.forEach((socket, i) => socket.on('message', (message) => streams[i]?.add(message)));
  }

  static async open(count: number): Promise<ForkReceiver> {
    const sockets = await Promise.all(Array.from({ length: count }, () => openSocket()));
    return new ForkReceiver(sockets, sockets.map(() => new ReceivedAudio()));
  }

  /** An answer to `offer` with one recvonly PCMA section per offered one (throws when the counts differ). */
  answer(offer: string, sessionId: number): string {
    const offered = offer.split(/\r?\n/).filter((line) => line.startsWith('m=audio ')).length;
    if (offered !== this.sockets.length) throw new Error(`the offer has ${offered} audio sections, the receiver ${this.sockets.length} sockets:\n${offer}`);
    const sections = this.sockets.flatMap((socket) => [`m=audio ${socket.address().port} RTP/AVP 8`, 'a=rtpmap:8 PCMA/8000', 'a=recvonly']);
    return [...sdpHeader(sessionId), ...sections, ''].join('\r\n');
  }

  async close(): Promise<void> {
    await Promise.all(this.sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }
}

/**
 * Whether some `windowMs` stretch of `samples` (stepped by one 20 ms packet)
 * is mostly `hz`, by `carries`. For a short tone (an announcement): a probe
 * of the last few hundred ms, polled, misses it on a loaded machine whose
 * polls come late, while the audio itself is all kept.
 */
export function someStretchCarries(samples: readonly number[], hz: number, windowMs: number, carries: (stretch: readonly number[], hz: number) => boolean): boolean {
  const window = Math.floor((windowMs * RATE) / 1000);
  for (let start = 0; start + window <= samples.length; start += SAMPLES_PER_PACKET) {
    if (carries(samples.slice(start, start + window), hz)) return true;
  }
  return false;
}

/** The tone measure the monitoring tests share with the E2E tests' recorded audio. */
export { bandShare } from '../../helpers/tone-bands';
