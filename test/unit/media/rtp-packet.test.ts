import { parseRtp } from '../../../src/media/rtp-packet';

function header(options: { pt?: number; marker?: boolean; csrc?: number; extensionWords?: number; padding?: number; payload?: Buffer } = {}): Buffer {
  const csrc = options.csrc ?? 0;
  const fixed = Buffer.alloc(12 + csrc * 4);
  fixed[0] = 0x80 | (options.extensionWords !== undefined ? 0x10 : 0) | (options.padding ? 0x20 : 0) | csrc;
  fixed[1] = (options.pt ?? 8) | (options.marker ? 0x80 : 0);
  fixed.writeUInt16BE(65535, 2);
  fixed.writeUInt32BE(0xfffffff0, 4);
  fixed.writeUInt32BE(0xdeadbeef, 8);
  const extension = options.extensionWords !== undefined ? Buffer.alloc(4 + options.extensionWords * 4, 0x11) : Buffer.alloc(0);
  if (options.extensionWords !== undefined) extension.writeUInt16BE(options.extensionWords, 2);
  const pad = options.padding ? Buffer.alloc(options.padding) : Buffer.alloc(0);
  if (options.padding) pad[pad.length - 1] = options.padding;
  return Buffer.concat([fixed, extension, options.payload ?? Buffer.from([1, 2, 3]), pad]);
}

describe('parseRtp (RFC 3550 §5.1)', () => {
  it('reads the fixed header and payload', () => {
    expect(parseRtp(header({ marker: true }))).toEqual({
      payloadType: 8, marker: true, sequence: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, payload: Buffer.from([1, 2, 3]),
    });
  });

  it('skips CSRCs and the header extension, and removes padding', () => {
    expect(parseRtp(header({ csrc: 2, extensionWords: 3, padding: 4 }))?.payload).toEqual(Buffer.from([1, 2, 3]));
  });

  it('refuses RTCP (RFC 5761 §4 range), other versions, and inconsistent lengths', () => {
    const rtcp = header();
    rtcp[1] = 200; // sender report
    expect(parseRtp(rtcp)).toBeNull();
    const v1 = header();
    v1[0] = 0x40;
    expect(parseRtp(v1)).toBeNull();
    expect(parseRtp(Buffer.alloc(11))).toBeNull();
    const tooMuchPadding = header({ padding: 2 });
    tooMuchPadding[tooMuchPadding.length - 1] = 200;
    expect(parseRtp(tooMuchPadding)).toBeNull();
    expect(parseRtp(header({ csrc: 15 }).subarray(0, 30))).toBeNull();
  });
});
