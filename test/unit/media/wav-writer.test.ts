import { encodeStereoWav } from '../../../src/media/wav-writer';
import { parseWav } from '../../../src/media/wav-file';

describe('encodeStereoWav', () => {
  it('writes a 16-bit stereo PCM WAV that the WAV parser reads back, left and right interleaved', () => {
    const left = Int16Array.from([1, -2, 32767]);
    const right = Int16Array.from([-32768, 5, 0]);
    const bytes = encodeStereoWav(left, right, 8000);
    expect(parseWav(bytes)).toMatchObject({ format: 'pcm', channels: 2, sampleRate: 8000, bitsPerSample: 16, blockAlign: 4, dataOffset: 44, dataBytes: 12 });
    expect([0, 1, 2, 3, 4, 5].map((i) => bytes.readInt16LE(44 + i * 2))).toEqual([1, -32768, -2, 5, 32767, 0]);
  });

  it('gives the right duration for 8 kHz and refuses channels of different lengths', () => {
    expect(parseWav(encodeStereoWav(new Int16Array(16000), new Int16Array(16000), 8000)).durationMs).toBe(2000);
    expect(() => encodeStereoWav(new Int16Array(2), new Int16Array(3), 8000)).toThrow(/lengths differ/);
  });
});
