import { ALAW_TO_LINEAR, ULAW_TO_LINEAR, decodeG711, encodeG711, g711TableFor } from '../../../src/media/g711';

describe('G.711 decoding tables (ITU-T G.711)', () => {
  it.each([
    // [code, A-law value] — reference values of the G.711 decoder
    [0xd5, 8], [0x55, -8], [0xd4, 24], [0xaa, 32256], [0x2a, -32256], [0x80, 5504], [0x00, -5504], [0xff, 848], [0x7f, -848],
  ])('A-law 0x%s decodes to %i', (code, value) => {
    expect(ALAW_TO_LINEAR[code]).toBe(value);
  });

  it.each([
    [0xff, 0], [0x7f, 0], [0x80, 32124], [0x00, -32124], [0xfe, 8], [0x7e, -8], [0xef, 132], [0x6f, -132],
  ])('µ-law 0x%s decodes to %i', (code, value) => {
    expect(ULAW_TO_LINEAR[code]).toBe(value);
  });

  it('is symmetric: flipping the sign bit negates the sample (A-law) and the magnitude (µ-law)', () => {
    for (let code = 0; code < 128; code++) {
      expect((ALAW_TO_LINEAR[code | 0x80] as number) + (ALAW_TO_LINEAR[code] as number)).toBe(0);
      expect((ULAW_TO_LINEAR[code] as number) + (ULAW_TO_LINEAR[code | 0x80] as number)).toBe(0);
    }
  });

  it('is monotonic in the magnitude code, and covers 256 distinct A-law levels', () => {
    // A-law magnitude order: code ^ 0x55 counts up; µ-law: ~code counts up.
    const alaw = Array.from({ length: 128 }, (_, m) => ALAW_TO_LINEAR[(m ^ 0x55) | 0x80] as number);
    const ulaw = Array.from({ length: 128 }, (_, m) => ULAW_TO_LINEAR[~m & 0x7f | 0x80] as number);
    for (let m = 1; m < 128; m++) {
      expect(alaw[m]).toBeGreaterThan(alaw[m - 1] as number);
      expect(ulaw[m]).toBeGreaterThan(ulaw[m - 1] as number);
    }
    expect(new Set(ALAW_TO_LINEAR).size).toBe(256);
  });

  it('decodes a payload byte by byte and picks tables by RTP payload type (RFC 3551)', () => {
    expect(Array.from(decodeG711(Buffer.from([0xd5, 0xaa, 0x2a]), ALAW_TO_LINEAR))).toEqual([8, 32256, -32256]);
    expect(g711TableFor(8)).toBe(ALAW_TO_LINEAR);
    expect(g711TableFor(0)).toBe(ULAW_TO_LINEAR);
    expect(g711TableFor(101)).toBeNull();
    expect(g711TableFor(13)).toBeNull();
  });
});

describe('G.711 encoding (prompts stored in the caller\'s codec, issue 16)', () => {
  it('gives back every code from the level it decodes to (µ-law\'s two zeros both become +0)', () => {
    for (let code = 0; code < 256; code++) {
      expect(encodeG711(Int16Array.of(ALAW_TO_LINEAR[code] as number), 'PCMA')[0]).toBe(code);
      expect(encodeG711(Int16Array.of(ULAW_TO_LINEAR[code] as number), 'PCMU')[0]).toBe(code === 0x7f ? 0xff : code);
    }
  });

  it('encodes full scale without wrapping round', () => {
    expect([...encodeG711(Int16Array.of(32767, -32768), 'PCMA')]).toEqual([0xaa, 0x2a]);
    expect([...encodeG711(Int16Array.of(32767, -32768), 'PCMU')]).toEqual([0x80, 0x00]);
  });
});
