import { parseWav } from '../../src/media/wav-file';

/** Root-mean-square level of one channel of a 16-bit WAV (channel 0 of a mono file is the file). */
export function channelRms(wav: Buffer, channel: 0 | 1 = 0): number {
  const info = parseWav(wav);
  const frameBytes = info.channels * 2;
  let sum = 0;
  let n = 0;
  for (let offset = info.dataOffset + channel * 2; offset + 1 < info.dataOffset + info.dataBytes; offset += frameBytes) {
    const sample = wav.readInt16LE(offset);
    sum += sample * sample;
    n++;
  }
  return Math.sqrt(sum / Math.max(1, n));
}
