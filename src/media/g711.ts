/**
 * G.711 decoding (ITU-T Recommendation G.711, 1988): A-law (RTP payload type
 * 8, PCMA) and µ-law (payload type 0, PCMU), each 8-bit code to one 16-bit
 * linear sample. Pure: two 256-entry tables built once at load.
 *
 * The tables use the reference decoders' scaling (A-law ±32256, µ-law
 * ±32124 at full scale), so that a decoded call sits in the same range as
 * any other 16-bit PCM recording.
 */

/** Static payload types of RFC 3551 §6 that this module decodes. */
export const G711_PAYLOAD_TYPES = { PCMU: 0, PCMA: 8 } as const;

function alawToLinear(code: number): number {
  // Even bits are inverted on the wire (G.711 §2), so undo that before reading segment and mantissa.
  const a = code ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  if (segment === 0) magnitude += 8;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  // A-law: the sign bit set means positive.
  return a & 0x80 ? magnitude : -magnitude;
}

const ULAW_BIAS = 0x84;

function ulawToLinear(code: number): number {
  // µ-law codes are sent one's-complemented (G.711 §3).
  const u = ~code & 0xff;
  const magnitude = (((u & 0x0f) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
  // µ-law: the sign bit set (after inversion) means negative.
  return u & 0x80 ? ULAW_BIAS - magnitude : magnitude - ULAW_BIAS;
}

function table(decode: (code: number) => number): Int16Array {
  const out = new Int16Array(256);
  for (let code = 0; code < 256; code++) out[code] = decode(code);
  return out;
}

/** A-law code → 16-bit linear sample. */
export const ALAW_TO_LINEAR: Readonly<Int16Array> = table(alawToLinear);
/** µ-law code → 16-bit linear sample. */
export const ULAW_TO_LINEAR: Readonly<Int16Array> = table(ulawToLinear);

/** Decodes a G.711 payload (one byte per sample) with the given table. */
export function decodeG711(payload: Uint8Array, lookup: Readonly<Int16Array>): Int16Array {
  const out = new Int16Array(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = lookup[payload[i] as number] as number;
  return out;
}

/** The decoding table for an RTP payload type, or null for anything that is not G.711 (telephone-event, CN, Opus…). */
export function g711TableFor(payloadType: number): Readonly<Int16Array> | null {
  if (payloadType === G711_PAYLOAD_TYPES.PCMA) return ALAW_TO_LINEAR;
  if (payloadType === G711_PAYLOAD_TYPES.PCMU) return ULAW_TO_LINEAR;
  return null;
}
