import { ALAW_TO_LINEAR, decodeG711 } from '../../../src/media/g711';
import { alaw, tonePcap } from '../../../bench/floor/floor-tone';

describe('floor tone pcap', () => {
  it('A-law encodes what the product decodes back, within the codec\'s step', () => {
    for (const sample of [0, 1, -1, 100, -100, 1000, -1000, 8000, -8000, 32000, -32000]) {
      const decoded = decodeG711(Uint8Array.of(alaw(sample)), ALAW_TO_LINEAR)[0]!;
      expect(Math.abs(decoded - sample)).toBeLessThanOrEqual(Math.max(16, Math.abs(sample) / 16));
    }
  });

  it('is a pcap of 20 ms PCMA RTP packets carrying the sine, one per 20 ms of its duration', () => {
    const pcap = tonePcap({ hz: 440, seconds: 1, ssrc: 0x440 });
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pcap.readUInt32LE(20)).toBe(1);
    const packetBytes = 14 + 20 + 8 + 12 + 160;
    expect(pcap.length).toBe(24 + 50 * (16 + packetBytes));
    // The second packet: 20 ms after the first, RTP seq 1, timestamp 160, PCMA, our SSRC.
    const second = 24 + 16 + packetBytes;
    expect(pcap.readUInt32LE(second + 4)).toBe(20_000);
    const rtp = second + 16 + 14 + 20 + 8;
    expect(pcap.readUInt8(rtp)).toBe(0x80);
    expect(pcap.readUInt8(rtp + 1)).toBe(8);
    expect(pcap.readUInt16BE(rtp + 2)).toBe(1);
    expect(pcap.readUInt32BE(rtp + 4)).toBe(160);
    expect(pcap.readUInt32BE(rtp + 8)).toBe(0x440);
    const samples = decodeG711(pcap.subarray(rtp + 12, rtp + 12 + 160), ALAW_TO_LINEAR);
    const rms = Math.sqrt(samples.reduce((s, x) => s + x * x, 0) / samples.length);
    // A sine of amplitude 8000 has an RMS of 8000/√2.
    expect(rms).toBeGreaterThan(5300);
    expect(rms).toBeLessThan(6000);
  });
});
