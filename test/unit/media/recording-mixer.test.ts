import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePcap, type PcapUdpPacket } from '../../../src/media/pcap-reader';
import { mixRecording, type RecordingLayout } from '../../../src/media/recording-mixer';

const FIXTURE = parsePcap(readFileSync(path.join(__dirname, '../../fixtures/media/two-way-call.pcap'))).packets;
/** The ports rtpengine handed out in the fixture call (see test/fixtures/media/README.md). */
const LAYOUT: RecordingLayout = { callerPorts: new Set([22218, 22219]), agentPorts: new Set([22200, 22201]) };
const T0 = 1_700_000_000_000_000;

/** A synthetic PCMA packet to `port`, arriving at T0 + `atMs`. */
function pcma(port: number, atMs: number, timestamp: number, options: { ssrc?: number; fill?: number; samples?: number; pt?: number } = {}): PcapUdpPacket {
  const payload = Buffer.alloc(12 + (options.samples ?? 160), options.fill ?? 0xaa);
  payload[0] = 0x80;
  payload[1] = options.pt ?? 8;
  payload.writeUInt32BE(timestamp >>> 0, 4);
  payload.writeUInt32BE(options.ssrc ?? 1, 8);
  return { timestampUs: T0 + atMs * 1000, source: { address: '127.0.0.1', port: 40000 }, destination: { address: '127.0.0.1', port }, payload };
}

/** Index of the first non-zero sample, or -1. */
const firstSound = (channel: Int16Array): number => channel.findIndex((s) => s !== 0);

describe('mixRecording on the real capture', () => {
  const mixed = mixRecording(FIXTURE, LAYOUT);

  it('decodes the G.711 of both sides and leaves the telephone-events out', () => {
    expect(mixed.stats).toEqual({ decoded: 14, unassigned: 0, notG711: 5, notRtp: 0 });
    expect(mixed.sampleRate).toBe(8000);
  });

  it('puts the caller on one channel, the agent on the other, and keeps the DTMF gap silent', () => {
    // Caller: 6 packets (960 samples) of 0xaa, 320 samples of DTMF, 2 more packets.
    expect(mixed.caller.subarray(0, 960).every((s) => s === 32256)).toBe(true);
    expect(mixed.caller.subarray(960, 1280).every((s) => s === 0)).toBe(true);
    expect(mixed.caller.subarray(1280, 1600).every((s) => s === 32256)).toBe(true);
    expect(mixed.caller.subarray(1600).every((s) => s === 0)).toBe(true);
    // Agent: joined ~100.8 ms (sample ~807) after the caller's first packet, 6 packets of 0x2a.
    const start = firstSound(mixed.agent);
    expect(start).toBeGreaterThanOrEqual(800);
    expect(start).toBeLessThanOrEqual(815);
    expect(mixed.agent.subarray(start, start + 960).every((s) => s === -32256)).toBe(true);
  });

  it('lasts from the first packet to the end of the last one, unless a window says otherwise', () => {
    expect(mixed.caller.length).toBe(mixed.agent.length);
    expect(mixed.caller.length).toBeGreaterThanOrEqual(1600);
    expect(mixed.durationMs).toBe(Math.round((mixed.caller.length * 1000) / 8000));
    const first = FIXTURE[0]?.timestampUs ?? 0;
    const windowed = mixRecording(FIXTURE, LAYOUT, { window: { startUs: first - 500_000, endUs: first + 1_500_000 } });
    expect(windowed.durationMs).toBe(2000);
    expect(windowed.caller).toHaveLength(16000);
    // Half a second of silence before the first packet.
    expect(firstSound(windowed.caller)).toBe(4000);
  });
});

describe('mixRecording placement rules', () => {
  const callerOnly: RecordingLayout = { callerPorts: new Set([1000]), agentPorts: new Set([2000]) };

  it('places by RTP timestamp, not arrival, so jitter does not move audio', () => {
    // The second packet arrives 35 ms late but its timestamp says 20 ms after the first.
    const mixed = mixRecording([pcma(1000, 0, 5000), pcma(1000, 55, 5160, { fill: 0x2a })], callerOnly);
    expect(mixed.caller[159]).toBe(32256);
    expect(mixed.caller[160]).toBe(-32256);
    expect(mixed.caller).toHaveLength(320);
  });

  it('turns a gap in the timestamps into silence', () => {
    const mixed = mixRecording([pcma(1000, 0, 0), pcma(1000, 100, 800)], callerOnly);
    expect(mixed.caller.subarray(160, 800).every((s) => s === 0)).toBe(true);
    expect(mixed.caller[800]).toBe(32256);
  });

  it('follows the timestamp across its 32-bit wrap', () => {
    const mixed = mixRecording([pcma(1000, 0, 0xffffff60), pcma(1000, 20, 0x00000000, { fill: 0x2a })], callerOnly);
    expect(mixed.caller[160]).toBe(-32256);
    expect(mixed.caller).toHaveLength(320);
  });

  it('re-anchors on arrival time when the timestamp jumps far from it (a restarted clock)', () => {
    const mixed = mixRecording([pcma(1000, 0, 1000), pcma(1000, 1000, 900_000_000, { fill: 0x2a })], callerOnly);
    expect(mixed.caller[8000]).toBe(-32256);
    expect(mixed.caller).toHaveLength(8160);
  });

  it('anchors each SSRC of a side on its own and mixes them with clipping', () => {
    const mixed = mixRecording([pcma(2000, 0, 10, { ssrc: 1 }), pcma(2000, 10, 99_999, { ssrc: 2 })], callerOnly);
    expect(mixed.agent[0]).toBe(32256);
    expect(mixed.agent[80]).toBe(32767); // both streams overlap here: clipped, not wrapped
    expect(firstSound(mixed.caller)).toBe(-1);
  });

  it('counts packets to unknown ports, non-G.711 payloads and non-RTP datagrams, and skips them', () => {
    const rtcp = pcma(1000, 0, 0);
    rtcp.payload[1] = 200;
    const mixed = mixRecording([pcma(3000, 0, 0), pcma(1000, 0, 0, { pt: 101, samples: 4 }), rtcp, pcma(1000, 0, 0, { pt: 0, fill: 0x80 })], callerOnly);
    expect(mixed.stats).toEqual({ decoded: 1, unassigned: 1, notG711: 1, notRtp: 1 });
    expect(mixed.caller[0]).toBe(32124); // µ-law 0x80
  });

  it('gives an empty recording for no packets, or a silent one for a window', () => {
    expect(mixRecording([], callerOnly).caller).toHaveLength(0);
    const silent = mixRecording([], callerOnly, { window: { startUs: T0, endUs: T0 + 250_000 } });
    expect(silent.durationMs).toBe(250);
    expect(firstSound(silent.caller)).toBe(-1);
  });
});
