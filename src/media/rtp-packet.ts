/**
 * RTP fixed header parsing (RFC 3550 §5.1), pure. Only what a recording needs:
 * payload type, sequence number, timestamp, SSRC and the payload with CSRCs,
 * header extension (§5.3.1) and padding (§5.1, P bit) removed.
 */

/** One RTP packet as read off the wire. */
export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  /** Media clock units (8000 per second for G.711), unsigned 32-bit. */
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

const FIXED_HEADER = 12;

/**
 * Parses `bytes` as RTP, or returns null when they are not RTP version 2, are
 * RTCP (second byte 192–223, the range RFC 5761 §4 sets aside so that the two
 * can share a port under rtcp-mux), or are inconsistent (lengths past the end).
 */
export function parseRtp(bytes: Buffer): RtpPacket | null {
  if (bytes.length < FIXED_HEADER) return null;
  const first = bytes[0] as number;
  const second = bytes[1] as number;
  if (first >> 6 !== 2) return null;
  if (second >= 192 && second <= 223) return null;
  let offset = FIXED_HEADER + (first & 0x0f) * 4;
  if (first & 0x10) {
    if (bytes.length < offset + 4) return null;
    offset += 4 + bytes.readUInt16BE(offset + 2) * 4;
  }
  let end = bytes.length;
  if (first & 0x20) {
    // The last byte counts the padding, itself included.
    const padding = bytes[bytes.length - 1] as number;
    if (padding === 0) return null;
    end -= padding;
  }
  if (offset > end) return null;
  return {
    payloadType: second & 0x7f,
    marker: (second & 0x80) !== 0,
    sequence: bytes.readUInt16BE(2),
    timestamp: bytes.readUInt32BE(4),
    ssrc: bytes.readUInt32BE(8),
    payload: bytes.subarray(offset, end),
  };
}
