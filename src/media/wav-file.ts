import { AppError } from '../errors/app-error';

/**
 * RIFF/WAVE header parsing, pure (no I/O): the uploaded prompt is checked
 * here before sox ever sees it, so that an admin gets a precise message
 * ("truncated data chunk") rather than sox's stderr.
 *
 * References: Microsoft "Multiple Channel Audio Data and WAVE Files"
 * (WAVE_FORMAT_EXTENSIBLE) and the RIFF spec's rule that a chunk of odd size
 * is followed by one pad byte that its size does not count.
 */

/** The sample encodings we name; anything else is reported as `unknown` with its numeric tag. */
export type WavFormatName = 'pcm' | 'float' | 'alaw' | 'mulaw' | 'ms-adpcm' | 'ima-adpcm' | 'gsm' | 'mpeg' | 'mp3' | 'unknown';

/** What a WAV file's header says about its audio. */
export interface WavInfo {
  /** The encoding; for WAVE_FORMAT_EXTENSIBLE, the encoding its sub-format GUID names. */
  format: WavFormatName;
  /** The numeric format tag behind `format` (the sub-format's for extensible files). */
  formatTag: number;
  /** True when the fmt chunk is WAVE_FORMAT_EXTENSIBLE (0xFFFE). */
  extensible: boolean;
  channels: number;
  sampleRate: number;
  /** Container size of one sample, in bits. */
  bitsPerSample: number;
  /** Bits that carry signal (extensible files may say fewer than the container); else `bitsPerSample`. */
  validBitsPerSample: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  /** Byte offset of the first audio byte in the buffer. */
  dataOffset: number;
  /** Length of the audio data, in bytes. */
  dataBytes: number;
  /** Duration rounded to the millisecond. */
  durationMs: number;
}

const FORMAT_TAGS: ReadonlyMap<number, WavFormatName> = new Map<number, WavFormatName>([
  [0x0001, 'pcm'],
  [0x0002, 'ms-adpcm'],
  [0x0003, 'float'],
  [0x0006, 'alaw'],
  [0x0007, 'mulaw'],
  [0x0011, 'ima-adpcm'],
  [0x0031, 'gsm'],
  [0x0050, 'mpeg'],
  [0x0055, 'mp3'],
]);

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Bytes 4..15 of every KSDATAFORMAT_SUBTYPE_* GUID derived from a plain format tag (…-0000-0010-8000-00aa00389b71). */
const KSDATAFORMAT_GUID_TAIL = Buffer.from([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);
/** Streaming writers (pipes) put this in a size field they could not go back and fill in. */
const UNKNOWN_SIZE = 0xffffffff;
/** Encodings where every sample frame is exactly `blockAlign` bytes, so the header can be cross-checked. */
const FRAME_FORMATS: ReadonlySet<WavFormatName> = new Set<WavFormatName>(['pcm', 'float', 'alaw', 'mulaw']);

function bad(message: string): AppError {
  return new AppError('BAD_AUDIO', message);
}

/** A four-character code as text a person can read, even if it is binary junk. */
function fourcc(bytes: Buffer, offset: number): string {
  return Array.from(bytes.subarray(offset, offset + 4), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?')).join('');
}

interface FmtFields {
  formatTag: number;
  format: WavFormatName;
  extensible: boolean;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  validBitsPerSample: number;
}

function parseFmt(body: Buffer): FmtFields {
  if (body.length < 16) throw bad(`fmt chunk too short (${body.length} bytes; at least 16 needed)`);
  let formatTag = body.readUInt16LE(0);
  const channels = body.readUInt16LE(2);
  const sampleRate = body.readUInt32LE(4);
  const byteRate = body.readUInt32LE(8);
  const blockAlign = body.readUInt16LE(12);
  const bitsPerSample = body.readUInt16LE(14);
  let validBitsPerSample = bitsPerSample;
  const extensible = formatTag === WAVE_FORMAT_EXTENSIBLE;
  if (extensible) {
    // 16 base bytes + cbSize (2) + valid bits (2) + channel mask (4) + sub-format GUID (16).
    if (body.length < 40) throw bad(`WAVE_FORMAT_EXTENSIBLE fmt chunk too short (${body.length} bytes; 40 needed)`);
    const valid = body.readUInt16LE(18);
    // 0 means "not specified" in some writers; fall back to the container size.
    if (valid !== 0) validBitsPerSample = valid;
    const guid = body.subarray(24, 40);
    formatTag = guid.subarray(4).equals(KSDATAFORMAT_GUID_TAIL) && guid.readUInt16LE(2) === 0 ? guid.readUInt16LE(0) : WAVE_FORMAT_EXTENSIBLE;
  }
  const format = FORMAT_TAGS.get(formatTag) ?? 'unknown';

  if (channels === 0) throw bad('invalid fmt chunk: 0 channels');
  if (sampleRate === 0) throw bad('invalid fmt chunk: sample rate 0 Hz');
  if (blockAlign === 0) throw bad('invalid fmt chunk: block align 0');
  if (FRAME_FORMATS.has(format)) {
    if (bitsPerSample === 0) throw bad(`invalid fmt chunk: 0 bits per sample for ${format}`);
    if ((format === 'alaw' || format === 'mulaw') && bitsPerSample !== 8) throw bad(`invalid fmt chunk: ${format} must be 8 bits per sample, not ${bitsPerSample}`);
    if (format === 'float' && bitsPerSample !== 32 && bitsPerSample !== 64) throw bad(`invalid fmt chunk: float must be 32 or 64 bits per sample, not ${bitsPerSample}`);
    if (validBitsPerSample > bitsPerSample) throw bad(`invalid fmt chunk: ${validBitsPerSample} valid bits in a ${bitsPerSample}-bit sample`);
    const expected = channels * Math.ceil(bitsPerSample / 8);
    if (blockAlign !== expected) {
      throw bad(`invalid fmt chunk: block align ${blockAlign}, but ${channels} channel(s) of ${bitsPerSample}-bit samples need ${expected}`);
    }
  }
  return { formatTag, format, extensible, channels, sampleRate, byteRate, blockAlign, bitsPerSample, validBitsPerSample };
}

/**
 * Reads the header of a RIFF/WAVE file held in memory. Chunks are walked in
 * order (so `LIST`, `fact`, `bext` or any unknown chunk before `data` is
 * skipped, with its pad byte); the audio itself is not decoded.
 *
 * @throws AppError `BAD_AUDIO` naming what is wrong ("not a WAV file (no RIFF header)", "truncated data chunk: …").
 */
export function parseWav(bytes: Buffer): WavInfo {
  if (bytes.length < 4 || bytes.toString('latin1', 0, 4) !== 'RIFF') {
    const magic = bytes.length >= 4 ? bytes.toString('latin1', 0, 4) : '';
    if (magic === 'RIFX') throw bad('big-endian WAV (RIFX) is not supported; save the file as a standard little-endian WAV');
    if (magic === 'RF64') throw bad('RF64 (64-bit) WAV is not supported; save the file as a standard WAV');
    throw bad('not a WAV file (no RIFF header)');
  }
  if (bytes.length < 12) throw bad(`not a WAV file (only ${bytes.length} bytes, too short for a RIFF header)`);
  const formType = bytes.toString('latin1', 8, 12);
  if (formType !== 'WAVE') throw bad(`not a WAV file (RIFF form type is "${fourcc(bytes, 8)}", expected "WAVE")`);

  // Walk up to the end the RIFF header announces when that is plausible, so
  // that anything appended after it (ID3 tags, junk) is not read as chunks; a
  // placeholder or over-large size means "to the end of what we have".
  const riffSize = bytes.readUInt32LE(4);
  const end = riffSize >= 4 && 8 + riffSize <= bytes.length ? 8 + riffSize : bytes.length;

  let fmt: FmtFields | null = null;
  let data: { offset: number; size: number } | null = null;
  let factFrames: number | null = null;
  const seen: string[] = [];
  let offset = 12;
  while (offset < end) {
    // Once both chunks that matter are in hand, a damaged trailing chunk
    // (metadata some editors append) does not stop the audio from playing.
    const complete = fmt !== null && data !== null;
    if (end - offset < 8) {
      if (complete) break;
      throw bad(`truncated chunk header at byte ${offset} (${end - offset} bytes left, 8 needed)`);
    }
    const id = fourcc(bytes, offset);
    const bodyStart = offset + 8;
    const available = bytes.length - bodyStart;
    let size = bytes.readUInt32LE(offset + 4);
    seen.push(id.trim());
    if (id === 'data') {
      if (size === UNKNOWN_SIZE) size = available;
      if (size > available) throw bad(`truncated data chunk: its header announces ${size} bytes, only ${available} are present`);
      data ??= { offset: bodyStart, size };
    } else if (size > available) {
      if (complete) break;
      throw bad(`truncated "${id}" chunk at byte ${offset}: it announces ${size} bytes, only ${available} are present`);
    } else if (id === 'fmt ') {
      fmt ??= parseFmt(bytes.subarray(bodyStart, bodyStart + size));
    } else if (id === 'fact' && size >= 4) {
      factFrames = bytes.readUInt32LE(bodyStart);
    }
    // The pad byte after an odd-sized chunk is not counted in its size (RIFF spec).
    offset = bodyStart + size + (size & 1);
  }

  if (!fmt) throw bad(`no fmt chunk (chunks found: ${seen.length ? seen.join(', ') : 'none'})`);
  if (!data) throw bad(`no data chunk (chunks found: ${seen.join(', ')})`);

  let durationMs: number;
  if (FRAME_FORMATS.has(fmt.format)) {
    // A partial last frame is not audio anyone hears; ignore it rather than refuse the file.
    durationMs = Math.round((Math.floor(data.size / fmt.blockAlign) * 1000) / fmt.sampleRate);
  } else if (factFrames !== null) {
    // Compressed data: only the fact chunk knows the sample count.
    durationMs = Math.round((factFrames * 1000) / fmt.sampleRate);
  } else {
    durationMs = fmt.byteRate > 0 ? Math.round((data.size * 1000) / fmt.byteRate) : 0;
  }

  return {
    format: fmt.format,
    formatTag: fmt.formatTag,
    extensible: fmt.extensible,
    channels: fmt.channels,
    sampleRate: fmt.sampleRate,
    bitsPerSample: fmt.bitsPerSample,
    validBitsPerSample: fmt.validBitsPerSample,
    blockAlign: fmt.blockAlign,
    dataOffset: data.offset,
    dataBytes: data.size,
    durationMs,
  };
}

const FORMAT_LABELS: Readonly<Record<WavFormatName, string>> = {
  pcm: 'PCM', float: 'floating-point', alaw: 'A-law', mulaw: 'µ-law', 'ms-adpcm': 'MS ADPCM', 'ima-adpcm': 'IMA ADPCM',
  gsm: 'GSM 6.10', mpeg: 'MPEG', mp3: 'MP3', unknown: 'unknown encoding',
};

/** A one-line description for messages, e.g. "16-bit PCM, 44100 Hz, stereo". */
export function describeWav(info: Pick<WavInfo, 'format' | 'formatTag' | 'bitsPerSample' | 'sampleRate' | 'channels'>): string {
  const encoding = info.format === 'unknown' ? `unknown encoding (format tag 0x${info.formatTag.toString(16).padStart(4, '0')})` : FORMAT_LABELS[info.format];
  const bits = info.bitsPerSample > 0 && info.format !== 'unknown' ? `${info.bitsPerSample}-bit ` : '';
  const channels = info.channels === 1 ? 'mono' : info.channels === 2 ? 'stereo' : `${info.channels} channels`;
  return `${bits}${encoding}, ${info.sampleRate} Hz, ${channels}`;
}
