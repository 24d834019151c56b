import dgram from 'node:dgram';
import { parseRtp, type RtpPacket } from '../../../src/media/rtp-packet';
import { eventCodeOfDigit, type DtmfDigit } from '../../../src/media/dtmf-event';
import type { MediaDirection } from '../../../src/media/sdp-text';
import { quietPeriod } from '../../helpers/eventually';

/**
 * A plain RTP endpoint on loopback, standing in for a SIP phone in tests:
 * it advertises PCMA + telephone-event (RFC 4733) in its SDP, sends paced
 * 20 ms PCMA packets and DTMF events, and records every packet it receives.
 */

/** Media tests send and listen in real time: time passing is what they measure. */
export const sleep = (ms: number): Promise<void> => quietPeriod(ms, 'media flows in real time');

export interface ReceivedPacket {
  /** ms since the epoch. */
  at: number;
  fromPort: number;
  rtp: RtpPacket | null;
}

const TELEPHONE_EVENT_PT = 101;
const PCMA_PT = 8;
const SAMPLES_PER_PACKET = 160;

export class RtpTestEndpoint {
  readonly received: ReceivedPacket[] = [];
  private sequence = Math.floor(Math.random() * 10000);
  private timestamp = Math.floor(Math.random() * 1_000_000);

  private constructor(private readonly socket: dgram.Socket, readonly ssrc: number) {
    socket.on('message', (message, remote) => this.received.push({ at: Date.now(), fromPort: remote.port, rtp: parseRtp(message) }));
  }

  static async open(ssrc: number): Promise<RtpTestEndpoint> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RtpTestEndpoint(socket, ssrc);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** This endpoint's SDP (an offer or an answer: PCMA and telephone-event only). */
  sdp(options: { sessionId: number; version?: number; direction?: MediaDirection; extra?: string[] }): string {
    return [
      'v=0', `o=- ${options.sessionId} ${options.version ?? 1} IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
      `m=audio ${this.port} RTP/AVP ${PCMA_PT} ${TELEPHONE_EVENT_PT}`, 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16',
      ...(options.extra ?? []), `a=${options.direction ?? 'sendrecv'}`, '',
    ].join('\r\n');
  }

  /** Packets received since `since` (ms epoch), optionally only from one SSRC. */
  receivedSince(since: number, ssrc?: number): ReceivedPacket[] {
    return this.received.filter((p) => p.at >= since && (ssrc === undefined || p.rtp?.ssrc === ssrc));
  }

  /** Sends `count` PCMA packets, 20 ms apart, each payload filled with `fill` (a G.711 code). */
  async sendAudio(toPort: number, count: number, fill = 0xd5): Promise<void> {
    for (let i = 0; i < count; i++) {
      const packet = Buffer.alloc(12 + SAMPLES_PER_PACKET, fill);
      this.writeHeader(packet, PCMA_PT, false);
      this.timestamp = (this.timestamp + SAMPLES_PER_PACKET) >>> 0;
      this.socket.send(packet, toPort, '127.0.0.1');
      await sleep(20);
    }
  }

  /**
   * One key press as RFC 4733 §2.5 has it: packets every 20 ms with one
   * timestamp and a growing duration, the first with the marker bit, and the
   * end packet sent three times (§2.5.1.4).
   */
  async sendDigit(toPort: number, digit: DtmfDigit, steps = 5): Promise<void> {
    const event = eventCodeOfDigit(digit);
    const send = (duration: number, end: boolean, marker: boolean): void => {
      const packet = Buffer.alloc(16);
      this.writeHeader(packet, TELEPHONE_EVENT_PT, marker);
      packet[12] = event;
      packet[13] = (end ? 0x80 : 0) | 10;
      packet.writeUInt16BE(duration, 14);
      this.socket.send(packet, toPort, '127.0.0.1');
    };
    for (let step = 1; step <= steps; step++) {
      send(step * SAMPLES_PER_PACKET, false, step === 1);
      await sleep(20);
    }
    for (let i = 0; i < 3; i++) send(steps * SAMPLES_PER_PACKET, true, false);
    this.timestamp = (this.timestamp + steps * SAMPLES_PER_PACKET) >>> 0;
    await sleep(20);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private writeHeader(packet: Buffer, payloadType: number, marker: boolean): void {
    packet[0] = 0x80;
    packet[1] = payloadType | (marker ? 0x80 : 0);
    packet.writeUInt16BE(this.sequence, 2);
    packet.writeUInt32BE(this.timestamp, 4);
    packet.writeUInt32BE(this.ssrc, 8);
    this.sequence = (this.sequence + 1) & 0xffff;
  }
}

/** The audio port an SDP names. */
export function mediaPort(sdp: string): number {
  const port = Number(/m=audio (\d+)/.exec(sdp)?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no audio port in SDP:\n${sdp}`);
  return port;
}
