import { AppError } from '../../../src/errors/app-error';
import { describeWav, parseWav } from '../../../src/media/wav-file';
import { chunk, extensibleFmtBody, fmtBody, riff, wav } from '../../helpers/wav-builder';

/** The AppError parseWav throws for `bytes`; fails the test if it does not throw one. */
function parseError(bytes: Buffer): AppError {
  try {
    parseWav(bytes);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('parseWav accepted the buffer');
}

const listInfo = chunk('LIST', Buffer.concat([Buffer.from('INFO', 'latin1'), chunk('INAM', Buffer.from('Greeting\0', 'latin1'))]));

describe('parseWav: well-formed files', () => {
  it('reads 16-bit PCM mono 8 kHz', () => {
    const info = parseWav(wav({ frames: 8000 }));
    expect(info).toEqual({
      format: 'pcm', formatTag: 1, extensible: false, channels: 1, sampleRate: 8000, bitsPerSample: 16, validBitsPerSample: 16,
      blockAlign: 2, dataOffset: 44, dataBytes: 16000, durationMs: 1000,
    });
  });

  it('reads 16-bit PCM stereo 44.1 kHz', () => {
    const info = parseWav(wav({ channels: 2, sampleRate: 44100, frames: 22050 }));
    expect(info).toMatchObject({ format: 'pcm', channels: 2, sampleRate: 44100, blockAlign: 4, dataBytes: 88200, durationMs: 500 });
  });

  it('reads A-law with an 18-byte fmt and a fact chunk, as telephony tools write it', () => {
    const fact = Buffer.alloc(4);
    fact.writeUInt32LE(4000, 0);
    const bytes = riff([chunk('fmt ', fmtBody({ tag: 6, bitsPerSample: 8, cbSize: true })), chunk('fact', fact), chunk('data', Buffer.alloc(4000, 0xd5))]);
    expect(parseWav(bytes)).toMatchObject({ format: 'alaw', formatTag: 6, bitsPerSample: 8, dataBytes: 4000, durationMs: 500 });
  });

  it.each([
    ['mulaw', { tag: 7, bitsPerSample: 8 }],
    ['float', { tag: 3, bitsPerSample: 32 }],
    ['pcm', { tag: 1, bitsPerSample: 24 }],
    ['pcm', { tag: 1, bitsPerSample: 8 }],
  ] as const)('names %s (%o)', (format, fmt) => {
    expect(parseWav(wav({ ...fmt, frames: 800 }))).toMatchObject({ format, bitsPerSample: fmt.bitsPerSample, durationMs: 100 });
  });

  it('reads WAVE_FORMAT_EXTENSIBLE: the sub-format GUID gives the encoding, valid bits are kept', () => {
    const body = extensibleFmtBody({ channels: 2, sampleRate: 48000, bitsPerSample: 24, validBits: 20, subTag: 1 });
    const info = parseWav(riff([chunk('fmt ', body), chunk('data', Buffer.alloc(48000 * 6))]));
    expect(info).toMatchObject({ format: 'pcm', formatTag: 1, extensible: true, channels: 2, sampleRate: 48000, bitsPerSample: 24, validBitsPerSample: 20, durationMs: 1000 });
  });

  it('reads an extensible float file', () => {
    const body = extensibleFmtBody({ channels: 1, sampleRate: 16000, bitsPerSample: 32, validBits: 32, subTag: 3 });
    expect(parseWav(riff([chunk('fmt ', body), chunk('data', Buffer.alloc(16000 * 4))]))).toMatchObject({ format: 'float', formatTag: 3, extensible: true, durationMs: 1000 });
  });

  it('reports an extensible sub-format it does not know as unknown, with tag 0xFFFE', () => {
    const guid = Buffer.from('0123456789abcdef', 'latin1');
    const body = extensibleFmtBody({ channels: 1, sampleRate: 8000, bitsPerSample: 16, validBits: 16, guid });
    const info = parseWav(riff([chunk('fmt ', body), chunk('data', Buffer.alloc(1600))]));
    expect(info).toMatchObject({ format: 'unknown', formatTag: 0xfffe, extensible: true, durationMs: 100 });
    expect(describeWav(info)).toBe('unknown encoding (format tag 0xfffe), 8000 Hz, mono');
  });

  it('skips a LIST chunk between fmt and data', () => {
    const bytes = riff([chunk('fmt ', fmtBody()), listInfo, chunk('data', Buffer.alloc(1600))]);
    const info = parseWav(bytes);
    expect(info).toMatchObject({ dataBytes: 1600, durationMs: 100 });
    expect(info.dataOffset).toBe(12 + 24 + listInfo.length + 8);
  });

  it('skips the pad byte after odd-sized chunks before fmt and before data', () => {
    const odd = chunk('junk', Buffer.from('abc', 'latin1'));
    const oddList = chunk('LIST', Buffer.from('INFOx', 'latin1'));
    expect(odd.length).toBe(8 + 3 + 1);
    const bytes = riff([odd, chunk('fmt ', fmtBody()), oddList, chunk('data', Buffer.alloc(800))]);
    const info = parseWav(bytes);
    expect(info).toMatchObject({ format: 'pcm', dataBytes: 800, durationMs: 50 });
    expect(info.dataOffset).toBe(12 + odd.length + 24 + oddList.length + 8);
  });

  it('accepts an odd-sized data chunk at the end whose pad byte is missing', () => {
    const bytes = riff([chunk('fmt ', fmtBody({ bitsPerSample: 8 })), chunk('data', Buffer.alloc(801), { pad: false })]);
    expect(parseWav(bytes)).toMatchObject({ dataBytes: 801, durationMs: 100 });
  });

  it('reads chunks after data, and fmt after data', () => {
    const bytes = riff([chunk('data', Buffer.alloc(1600)), chunk('fmt ', fmtBody()), listInfo]);
    expect(parseWav(bytes)).toMatchObject({ format: 'pcm', durationMs: 100 });
  });

  it('ignores bytes appended after the end the RIFF header announces (e.g. an ID3 tag)', () => {
    const bytes = Buffer.concat([wav({ frames: 800 }), Buffer.from('ID3\u0003\u0000garbage', 'latin1')]);
    expect(parseWav(bytes)).toMatchObject({ dataBytes: 1600, durationMs: 100 });
  });

  it('ignores a damaged trailing chunk once fmt and data are read', () => {
    const bytes = riff([chunk('fmt ', fmtBody()), chunk('data', Buffer.alloc(1600)), chunk('LIST', Buffer.alloc(4), { size: 1000 })]);
    expect(parseWav(bytes)).toMatchObject({ durationMs: 100 });
  });

  it('takes the rest of the file for a data size a streaming writer left as 0xFFFFFFFF', () => {
    const bytes = riff([chunk('fmt ', fmtBody()), chunk('data', Buffer.alloc(3200), { size: 0xffffffff })], { riffSize: 0xffffffff });
    expect(parseWav(bytes)).toMatchObject({ dataBytes: 3200, durationMs: 200 });
  });

  it('takes the duration of compressed audio from its fact chunk', () => {
    const fact = Buffer.alloc(4);
    fact.writeUInt32LE(16000, 0);
    const bytes = riff([chunk('fmt ', fmtBody({ tag: 2, bitsPerSample: 4, blockAlign: 256, byteRate: 4096, cbSize: true })), chunk('fact', fact), chunk('data', Buffer.alloc(8192))]);
    expect(parseWav(bytes)).toMatchObject({ format: 'ms-adpcm', formatTag: 2, durationMs: 2000 });
  });

  it('describes a format for messages', () => {
    expect(describeWav(parseWav(wav({ channels: 2, sampleRate: 44100, frames: 10 })))).toBe('16-bit PCM, 44100 Hz, stereo');
    expect(describeWav(parseWav(wav({ tag: 6, bitsPerSample: 8, frames: 10 })))).toBe('8-bit A-law, 8000 Hz, mono');
  });
});

describe('parseWav: malformed files are refused with a message saying what is wrong', () => {
  const goodFmt = chunk('fmt ', fmtBody());
  const cases: Array<[string, Buffer, RegExp]> = [
    ['an empty buffer', Buffer.alloc(0), /^not a WAV file \(no RIFF header\)$/],
    ['text', Buffer.from('hello, this is not audio at all', 'utf8'), /^not a WAV file \(no RIFF header\)$/],
    ['an AIFF file', Buffer.from('FORM\0\0\0\x20AIFFCOMM', 'latin1'), /no RIFF header/],
    ['big-endian RIFX', riff([goodFmt], { magic: 'RIFX' }), /big-endian WAV \(RIFX\) is not supported/],
    ['RF64', riff([goodFmt], { magic: 'RF64' }), /RF64 .* not supported/],
    ['RIFF cut before the form type', Buffer.from('RIFF\x04\0\0\0WA', 'latin1'), /only 10 bytes/],
    ['RIFF but not WAVE', riff([goodFmt], { formType: 'AVI ' }), /^not a WAV file \(RIFF form type is "AVI ", expected "WAVE"\)$/],
    ['RIFF WAVE with no chunks', riff([]), /^no fmt chunk \(chunks found: none\)$/],
    ['no fmt chunk', riff([listInfo, chunk('data', Buffer.alloc(100))]), /^no fmt chunk \(chunks found: LIST, data\)$/],
    ['no data chunk', riff([goodFmt, listInfo]), /^no data chunk \(chunks found: fmt, LIST\)$/],
    ['a truncated data chunk', riff([goodFmt, chunk('data', Buffer.alloc(100), { size: 16000 })]), /^truncated data chunk: its header announces 16000 bytes, only 100 are present$/],
    ['a file cut inside a chunk header', riff([goodFmt, Buffer.from('da', 'latin1')]), /^truncated chunk header at byte 36/],
    ['a LIST chunk longer than the file', riff([goodFmt, chunk('LIST', Buffer.alloc(10), { size: 5000 })]), /^truncated "LIST" chunk at byte 36: it announces 5000 bytes, only 10 are present$/],
    ['zero channels', riff([chunk('fmt ', fmtBody({ channels: 0, blockAlign: 2 })), chunk('data', Buffer.alloc(10))]), /^invalid fmt chunk: 0 channels$/],
    ['a zero sample rate', riff([chunk('fmt ', fmtBody({ sampleRate: 0 })), chunk('data', Buffer.alloc(10))]), /sample rate 0 Hz/],
    ['a zero block align', riff([chunk('fmt ', fmtBody({ blockAlign: 0 })), chunk('data', Buffer.alloc(10))]), /block align 0/],
    ['a block align that does not fit the format', riff([chunk('fmt ', fmtBody({ channels: 2, blockAlign: 2 })), chunk('data', Buffer.alloc(10))]), /block align 2, but 2 channel\(s\) of 16-bit samples need 4/],
    ['a 14-byte fmt chunk', riff([chunk('fmt ', fmtBody().subarray(0, 14)), chunk('data', Buffer.alloc(10))]), /^fmt chunk too short \(14 bytes; at least 16 needed\)$/],
    ['16-bit A-law', riff([chunk('fmt ', fmtBody({ tag: 6, bitsPerSample: 16 })), chunk('data', Buffer.alloc(10))]), /alaw must be 8 bits per sample, not 16/],
    ['24-bit float', riff([chunk('fmt ', fmtBody({ tag: 3, bitsPerSample: 24 })), chunk('data', Buffer.alloc(10))]), /float must be 32 or 64 bits/],
    ['0-bit PCM', riff([chunk('fmt ', fmtBody({ bitsPerSample: 0, blockAlign: 1 })), chunk('data', Buffer.alloc(10))]), /0 bits per sample/],
    ['an extensible fmt without its extension', riff([chunk('fmt ', fmtBody({ tag: 0xfffe, cbSize: true })), chunk('data', Buffer.alloc(10))]), /WAVE_FORMAT_EXTENSIBLE fmt chunk too short \(18 bytes; 40 needed\)/],
    ['more valid bits than the container', riff([chunk('fmt ', extensibleFmtBody({ channels: 1, sampleRate: 8000, bitsPerSample: 16, validBits: 24 })), chunk('data', Buffer.alloc(10))]), /24 valid bits in a 16-bit sample/],
  ];

  it.each(cases)('%s', (_name, bytes, message) => {
    const err = parseError(bytes);
    expect(err.code).toBe('BAD_AUDIO');
    expect(err.httpStatus).toBe(400);
    expect(err.message).toMatch(message);
  });
});
