import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src/errors/app-error';
import { parsePcap, type PcapUdpPacket } from '../../../src/media/pcap-reader';

const FIXTURE = readFileSync(path.join(__dirname, '../../fixtures/media/two-way-call.pcap'));

/** Writes packets back out as a pcap with the given byte order, time resolution and link type. */
function writePcap(packets: readonly PcapUdpPacket[], options: { bigEndian?: boolean; nanos?: boolean; ethernet?: boolean; vlan?: boolean }): Buffer {
  const u32 = (value: number): Buffer => {
    const b = Buffer.alloc(4);
    if (options.bigEndian) b.writeUInt32BE(value);
    else b.writeUInt32LE(value);
    return b;
  };
  const u16 = (value: number): Buffer => {
    const b = Buffer.alloc(2);
    if (options.bigEndian) b.writeUInt16BE(value);
    else b.writeUInt16LE(value);
    return b;
  };
  const parts = [u32(options.nanos ? 0xa1b23c4d : 0xa1b2c3d4), u16(2), u16(4), u32(0), u32(0), u32(65535), u32(options.ethernet ? 1 : 101)];
  for (const p of packets) {
    const ip = Buffer.alloc(28);
    ip[0] = 0x45;
    ip.writeUInt16BE(28 + p.payload.length, 2);
    ip[9] = 17;
    p.source.address.split('.').forEach((octet, i) => (ip[12 + i] = Number(octet)));
    p.destination.address.split('.').forEach((octet, i) => (ip[16 + i] = Number(octet)));
    ip.writeUInt16BE(p.source.port, 20);
    ip.writeUInt16BE(p.destination.port, 22);
    ip.writeUInt16BE(8 + p.payload.length, 24);
    const link = options.ethernet ? Buffer.concat([Buffer.alloc(12), ...(options.vlan ? [Buffer.from([0x81, 0x00, 0x00, 0x05])] : []), Buffer.from([0x08, 0x00])]) : Buffer.alloc(0);
    const frame = Buffer.concat([link, ip, p.payload]);
    const seconds = Math.floor(p.timestampUs / 1e6);
    const micros = p.timestampUs % 1e6;
    parts.push(u32(seconds), u32(options.nanos ? micros * 1000 : micros), u32(frame.length), u32(frame.length), frame);
  }
  return Buffer.concat(parts);
}

describe('parsePcap on a real rtpengine 10.5 capture', () => {
  const capture = parsePcap(FIXTURE);

  it('reads link type RAW and every datagram', () => {
    expect(capture.linkType).toBe(101);
    expect(capture.packets).toHaveLength(19);
    expect(capture.skipped).toBe(0);
    expect(capture.truncated).toBe(false);
  });

  it('gives source, destination, time and payload of each datagram', () => {
    const first = capture.packets[0] as PcapUdpPacket;
    expect(first.source).toEqual({ address: '127.0.0.1', port: 49185 });
    expect(first.destination).toEqual({ address: '127.0.0.1', port: 22218 });
    expect(first.timestampUs).toBe(1795443982434540);
    expect(first.payload).toHaveLength(172);
    expect(first.payload.readUInt32BE(8)).toBe(0x11111111);
    const toAgentSide = capture.packets.filter((p) => p.destination.port === 22200);
    expect(toAgentSide).toHaveLength(6);
    expect(toAgentSide.every((p) => p.source.port === 55956 && p.payload[12] === 0x2a)).toBe(true);
    const times = capture.packets.map((p) => p.timestampUs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('keeps the complete records of a file cut off mid-record, and says so', () => {
    const cut = parsePcap(FIXTURE.subarray(0, FIXTURE.length - 10));
    expect(cut.truncated).toBe(true);
    expect(cut.packets).toHaveLength(18);
    expect(parsePcap(FIXTURE.subarray(0, 24 + 8)).truncated).toBe(true);
  });

  it.each([
    ['big-endian', { bigEndian: true }],
    ['nanosecond', { nanos: true }],
    ['Ethernet', { ethernet: true }],
    ['Ethernet with a VLAN tag', { ethernet: true, vlan: true }],
  ])('reads the same datagrams from a %s file', (_name, options) => {
    const again = parsePcap(writePcap(capture.packets, options));
    expect(again.packets).toEqual(capture.packets);
  });

  it('skips what is not UDP over IP', () => {
    const tcp = Buffer.from(writePcap(capture.packets.slice(0, 2), {}));
    tcp[24 + 16 + 9] = 6; // first record's IP protocol → TCP
    const parsed = parsePcap(tcp);
    expect(parsed.packets).toHaveLength(1);
    expect(parsed.skipped).toBe(1);
  });

  it('refuses files that are not classic pcap, or of an unknown link type', () => {
    expect(() => parsePcap(Buffer.from('0a0d0d0a000000000000000000000000000000000000000000', 'hex'))).toThrow(/pcapng is not supported/);
    expect(() => parsePcap(Buffer.alloc(10))).toThrow(AppError);
    const odd = Buffer.from(FIXTURE.subarray(0, 24));
    odd.writeUInt32LE(147, 20);
    expect(() => parsePcap(odd)).toThrow(/unsupported link type 147/);
  });
});
