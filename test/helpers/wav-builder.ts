/**
 * Builds RIFF/WAVE files byte by byte, so that tests can make exactly the
 * header (good or broken) they need without an audio tool.
 */

/** One RIFF chunk: id, little-endian size, body, and the pad byte an odd size needs. */
export function chunk(id: string, body: Buffer, options: { size?: number; pad?: boolean } = {}): Buffer {
  const header = Buffer.alloc(8);
  header.write(id.padEnd(4, ' '), 0, 4, 'latin1');
  header.writeUInt32LE(options.size ?? body.length, 4);
  const pad = (options.pad ?? true) && body.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([header, body, pad]);
}

/** A RIFF container around `chunks`; the size field is right unless one is given. */
export function riff(chunks: Buffer[], options: { formType?: string; magic?: string; riffSize?: number } = {}): Buffer {
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write(options.magic ?? 'RIFF', 0, 4, 'latin1');
  header.writeUInt32LE(options.riffSize ?? body.length + 4, 4);
  header.write(options.formType ?? 'WAVE', 8, 4, 'latin1');
  return Buffer.concat([header, body]);
}

export interface FmtOptions {
  tag?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  blockAlign?: number;
  byteRate?: number;
  /** Add cbSize = 0 (an 18-byte fmt, as A-law writers do). */
  cbSize?: boolean;
}

/** A plain (non-extensible) fmt chunk body; block align and byte rate are consistent unless given. */
export function fmtBody(o: FmtOptions = {}): Buffer {
  const channels = o.channels ?? 1;
  const sampleRate = o.sampleRate ?? 8000;
  const bits = o.bitsPerSample ?? 16;
  const blockAlign = o.blockAlign ?? channels * Math.ceil(bits / 8);
  const body = Buffer.alloc(o.cbSize ? 18 : 16);
  body.writeUInt16LE(o.tag ?? 1, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(sampleRate, 4);
  body.writeUInt32LE(o.byteRate ?? sampleRate * blockAlign, 8);
  body.writeUInt16LE(blockAlign, 12);
  body.writeUInt16LE(bits, 14);
  return body;
}

/** A WAVE_FORMAT_EXTENSIBLE fmt body whose sub-format GUID is derived from `subTag` (or raw `guid`). */
export function extensibleFmtBody(o: { channels: number; sampleRate: number; bitsPerSample: number; validBits: number; subTag?: number; guid?: Buffer }): Buffer {
  const blockAlign = o.channels * Math.ceil(o.bitsPerSample / 8);
  const body = Buffer.alloc(40);
  body.writeUInt16LE(0xfffe, 0);
  body.writeUInt16LE(o.channels, 2);
  body.writeUInt32LE(o.sampleRate, 4);
  body.writeUInt32LE(o.sampleRate * blockAlign, 8);
  body.writeUInt16LE(blockAlign, 12);
  body.writeUInt16LE(o.bitsPerSample, 14);
  body.writeUInt16LE(22, 16);
  body.writeUInt16LE(o.validBits, 18);
  body.writeUInt32LE(o.channels === 2 ? 0x3 : 0x4, 20);
  const guid = o.guid ?? Buffer.from([0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);
  guid.copy(body, 24);
  if (!o.guid) body.writeUInt16LE(o.subTag ?? 1, 24);
  return body;
}

/** A complete, well-formed WAV of `frames` silent frames. */
export function wav(o: FmtOptions & { frames: number }): Buffer {
  const channels = o.channels ?? 1;
  const bits = o.bitsPerSample ?? 16;
  return riff([chunk('fmt ', fmtBody(o)), chunk('data', Buffer.alloc(o.frames * channels * Math.ceil(bits / 8)))]);
}
