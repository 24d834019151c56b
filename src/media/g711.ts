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

/** The G.711 laws a prompt can be stored in, by their RTP encoding names (RFC 3551 §4.5.14). */
export type G711Law = 'PCMA' | 'PCMU';

function linearToAlaw(sample: number): number {
  // Reference encoder (ITU-T G.191 g711.c, alaw_compress): 13-bit magnitude, segment + 4-bit mantissa, even bits inverted.
  let ix = sample < 0 ? (~sample >> 4) : sample >> 4;
  if (ix > 15) {
    let segment = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      segment++;
    }
    ix -= 16;
    ix += segment << 4;
  }
  if (sample >= 0) ix |= 0x80;
  return ix ^ 0x55;
}

function linearToUlaw(sample: number): number {
  // Reference encoder (ITU-T G.191 g711.c, ulaw_compress) on the 14-bit magnitude, biased, one's-complemented.
  const absno = sample < 0 ? (~sample >> 2) + 33 : (sample >> 2) + 33;
  const clipped = Math.min(absno, 0x1fff);
  let segment = 1;
  for (let i = clipped >> 6; i > 0; i >>= 1) segment++;
  const high = 8 - segment;
  const low = 0x0f - ((clipped >> segment) & 0x0f);
  const code = (high << 4) | low;
  return sample >= 0 ? code | 0x80 : code;
}

/** Encodes 16-bit linear samples as G.711 codes, one byte per sample (the inverse of decodeG711 up to quantisation). */
export function encodeG711(samples: Int16Array, law: G711Law): Uint8Array {
  const encode = law === 'PCMA' ? linearToAlaw : linearToUlaw;
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = encode(samples[i] as number);
  return out;
}
