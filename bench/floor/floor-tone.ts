/**
 * A long steady tone as a pcap of PCMA RTP packets, for sipp's
 * `play_pcap_audio` (issue 16): sipp's own speech sample lasts 7 s, shorter
 * than most calls, so a recording would be silent on a channel for the rest
 * of the talk. Each side of the floor plays its own frequency (callers 440 Hz,
 * agents 660 Hz), so a recording's channels can be told apart by ear. Pure:
 * returns the file's bytes.
 */

/** G.711 A-law encoding of one 16-bit linear sample (ITU-T G.711). */
export function alaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample))) >> 3;
  let mask: number;
  if (s >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    s = -s - 1;
  }
  const segmentEnds = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  const segment = segmentEnds.findIndex((end) => s <= end);
  if (segment < 0) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (s >> 1) & 0x0f : (s >> segment) & 0x0f;
  return ((segment << 4) | mantissa) ^ mask;
}

const FRAME_MS = 20;
const SAMPLES_PER_FRAME = 160;

/**
 * `seconds` of a sine at `hz` (amplitude about -12 dBFS) as RTP/PCMA in an
 * Ethernet pcap, one 20 ms packet each, timestamps 20 ms apart. Addresses and
 * ports are placeholders: sipp sends the payloads to the call's far end.
 */
export function tonePcap(options: { hz: number; seconds: number; ssrc?: number }): Buffer {
  const frames = Math.ceil((options.seconds * 1000) / FRAME_MS);
  const packetBytes = 14 + 20 + 8 + 12 + SAMPLES_PER_FRAME;
  const out = Buffer.alloc(24 + frames * (16 + packetBytes));
  // Global header: magic, version 2.4, zone 0, sigfigs 0, snaplen, link type 1 (Ethernet).
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(65535, 16);
  out.writeUInt32LE(1, 20);
  const payload = Buffer.alloc(SAMPLES_PER_FRAME);
  let offset = 24;
  for (let f = 0; f < frames; f++) {
    const atUs = f * FRAME_MS * 1000;
    out.writeUInt32LE(Math.floor(atUs / 1e6), offset);
    out.writeUInt32LE(atUs % 1e6, offset + 4);
    out.writeUInt32LE(packetBytes, offset + 8);
    out.writeUInt32LE(packetBytes, offset + 12);
    const p = offset + 16;
    // Ethernet: two placeholder MACs, IPv4.
    out.writeUInt16BE(0x0800, p + 12);
    // IPv4 header: 127.0.0.1 → 127.0.0.1, UDP.
    const ip = p + 14;
    out.writeUInt8(0x45, ip);
    out.writeUInt16BE(20 + 8 + 12 + SAMPLES_PER_FRAME, ip + 2);
    out.writeUInt8(64, ip + 8);
    out.writeUInt8(17, ip + 9);
    out.writeUInt32BE(0x7f000001, ip + 12);
    out.writeUInt32BE(0x7f000001, ip + 16);
    // UDP 6000 → 6000, no checksum.
    const udp = ip + 20;
    out.writeUInt16BE(6000, udp);
    out.writeUInt16BE(6000, udp + 2);
    out.writeUInt16BE(8 + 12 + SAMPLES_PER_FRAME, udp + 4);
    // RTP: version 2, PCMA (8), marker on the first packet.
    const rtp = udp + 8;
    out.writeUInt8(0x80, rtp);
    out.writeUInt8(f === 0 ? 0x88 : 0x08, rtp + 1);
    out.writeUInt16BE(f & 0xffff, rtp + 2);
    out.writeUInt32BE((f * SAMPLES_PER_FRAME) >>> 0, rtp + 4);
    out.writeUInt32BE((options.ssrc ?? 0x5eed0001) >>> 0, rtp + 8);
    for (let i = 0; i < SAMPLES_PER_FRAME; i++) {
      const n = f * SAMPLES_PER_FRAME + i;
      payload[i] = alaw(8000 * Math.sin((2 * Math.PI * options.hz * n) / 8000));
    }
    payload.copy(out, rtp + 12);
    offset += 16 + packetBytes;
  }
  return out;
}
