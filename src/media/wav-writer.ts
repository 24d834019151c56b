/**
 * Writes 16-bit PCM WAV files (RIFF/WAVE with a plain 16-byte fmt chunk), pure.
 * The reader side lives in wav-file.ts; this is the one place that builds them.
 */

const HEADER_BYTES = 44;

/**
 * A stereo 16-bit PCM WAV: `left` and `right` interleaved sample by sample.
 * Both channels must have the same length (the caller pads).
 */
export function encodeStereoWav(left: Int16Array, right: Int16Array, sampleRate: number): Buffer {
  if (left.length !== right.length) throw new Error(`channel lengths differ: ${left.length} and ${right.length}`);
  const channels = 2;
  const bytesPerSample = 2;
  const dataBytes = left.length * channels * bytesPerSample;
  const out = Buffer.alloc(HEADER_BYTES + dataBytes);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(HEADER_BYTES - 8 + dataBytes, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // WAVE_FORMAT_PCM
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  out.writeUInt16LE(channels * bytesPerSample, 32);
  out.writeUInt16LE(bytesPerSample * 8, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(dataBytes, 40);
  let offset = HEADER_BYTES;
  for (let i = 0; i < left.length; i++) {
    out.writeInt16LE(left[i] as number, offset);
    out.writeInt16LE(right[i] as number, offset + 2);
    offset += 4;
  }
  return out;
}
