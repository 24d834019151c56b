import type { PcapUdpPacket } from './pcap-reader';
import { parseRtp } from './rtp-packet';
import { decodeG711, g711TableFor } from './g711';

/**
 * Turns the packets of a call capture into two PCM channels, pure: caller on
 * one, agent(s) on the other, each sample at the moment it was spoken, so
 * that silence (hold, no packets, a leg not yet bridged) stays silence and the
 * channels line up with each other and with the call's wall clock.
 *
 * Placement: the first packet of each RTP stream (one SSRC from one side) is
 * put at its arrival time; later packets follow by RTP timestamp (RFC 3550
 * §5.1: the sampling instant), which is immune to network jitter. Where the
 * two disagree by more than `resyncMs` — a sender that restarted its clock,
 * or a long hold with the same SSRC — arrival time wins again.
 */

/** The narrowband rate of G.711 and of the output. */
export const RECORDING_SAMPLE_RATE = 8000;

/** Which side a captured packet came from. */
export type RecordingChannel = 'caller' | 'agent';

/**
 * How packets are told apart: rtpengine writes each packet it received with
 * its own receiving socket as destination, and each socket receives from one
 * leg only. So the destination port names the side — provided the layout
 * lists every socket a leg sent to: the ports named in the SDPs the leg got
 * *and* the leg's own sockets as rtpengine reports them, since a leg doing
 * symmetric RTP sends to the socket packets reach it from, which after the
 * bridging answer is in no SDP (media-session, leg-counters).
 */
export interface RecordingLayout {
  /** rtpengine ports the caller may send to (every SDP the caller was given, the caller's sockets). */
  callerPorts: ReadonlySet<number>;
  /** rtpengine ports any agent leg of the call may send to (likewise). */
  agentPorts: ReadonlySet<number>;
}

/** The span of wall-clock time the output covers, microseconds since the epoch. */
export interface RecordingWindow {
  startUs: number;
  endUs: number;
}

/** Options of mixRecording. */
export interface MixOptions {
  /** Default: from the first packet's arrival to the end of the last packet's audio. */
  window?: RecordingWindow;
  /** Default 500 ms. */
  resyncMs?: number;
}

/** Two channels of decoded audio plus what was dropped and why. */
export interface MixedRecording {
  caller: Int16Array;
  agent: Int16Array;
  sampleRate: number;
  durationMs: number;
  stats: {
    /** Packets decoded into a channel. */
    decoded: number;
    /** Packets to no port of the layout (the placeholder leg, RTCP on its own port, strays). */
    unassigned: number;
    /** RTP with a payload type that is not G.711 (telephone-event, comfort noise, Opus…). */
    notG711: number;
    /** Datagrams that are not RTP (RTCP, STUN, DTLS). */
    notRtp: number;
  };
}

interface StreamAnchor {
  /** Output sample index of `timestamp`. */
  position: number;
  timestamp: number;
}

/** Signed distance a→b on the 32-bit RTP timestamp circle. */
function timestampDelta(from: number, to: number): number {
  return ((to - from) | 0);
}

function usToSamples(us: number): number {
  return Math.round((us * RECORDING_SAMPLE_RATE) / 1_000_000);
}

/** Adds `samples` into `channel` at `position`, clipping, ignoring what falls outside. */
function mixInto(channel: Int16Array, position: number, samples: Int16Array): void {
  const from = Math.max(0, -position);
  const to = Math.min(samples.length, channel.length - position);
  for (let i = from; i < to; i++) {
    // Overlap only happens when two streams of one side coincide (a transfer's overlap); summing is what a mixer does.
    const sum = (channel[position + i] as number) + (samples[i] as number);
    channel[position + i] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
  }
}

/** Decodes and places the G.711 audio of `packets` (in capture order) onto the caller and agent channels. */
export function mixRecording(packets: readonly PcapUdpPacket[], layout: RecordingLayout, options: MixOptions = {}): MixedRecording {
  const resyncSamples = usToSamples((options.resyncMs ?? 500) * 1000);
  const stats = { decoded: 0, unassigned: 0, notG711: 0, notRtp: 0 };

  interface Placed { channel: RecordingChannel; position: number; samples: Int16Array }
  const placed: Placed[] = [];
  const anchors = new Map<string, StreamAnchor>();
  const origin = options.window?.startUs ?? packets[0]?.timestampUs ?? 0;
  let lastEnd = 0;

  for (const packet of packets) {
    const port = packet.destination.port;
    const channel: RecordingChannel | null = layout.callerPorts.has(port) ? 'caller' : layout.agentPorts.has(port) ? 'agent' : null;
    const rtp = parseRtp(packet.payload);
    if (!rtp) {
      stats.notRtp++;
      continue;
    }
    if (!channel) {
      stats.unassigned++;
      continue;
    }
    const lookup = g711TableFor(rtp.payloadType);
    if (!lookup) {
      stats.notG711++;
      continue;
    }
    const arrival = usToSamples(packet.timestampUs - origin);
    const key = `${channel}:${rtp.ssrc}`;
    let anchor = anchors.get(key);
    let position = anchor ? anchor.position + timestampDelta(anchor.timestamp, rtp.timestamp) : arrival;
    if (!anchor || Math.abs(position - arrival) > resyncSamples) {
      position = arrival;
    }
    anchor = { position, timestamp: rtp.timestamp };
    anchors.set(key, anchor);
    const samples = decodeG711(rtp.payload, lookup);
    placed.push({ channel, position, samples });
    lastEnd = Math.max(lastEnd, position + samples.length);
    stats.decoded++;
  }

  const length = options.window ? Math.max(0, usToSamples(options.window.endUs - options.window.startUs)) : lastEnd;
  const caller = new Int16Array(length);
  const agent = new Int16Array(length);
  for (const { channel, position, samples } of placed) mixInto(channel === 'caller' ? caller : agent, position, samples);
  return { caller, agent, sampleRate: RECORDING_SAMPLE_RATE, durationMs: Math.round((length * 1000) / RECORDING_SAMPLE_RATE), stats };
}
