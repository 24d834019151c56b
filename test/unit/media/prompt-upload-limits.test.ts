import { AppError } from '../../../src/errors/app-error';
import { PROMPT_UPLOAD_LIMITS, validateUploadedPrompt } from '../../../src/media/prompt-audio';
import { chunk, extensibleFmtBody, riff, wav } from '../../helpers/wav-builder';

function refusal(bytes: Buffer): AppError {
  try {
    validateUploadedPrompt(bytes);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the upload was accepted');
}

describe('validateUploadedPrompt: accepted uploads', () => {
  it.each<[string, Buffer]>([
    ['16-bit PCM mono 8 kHz', wav({ frames: 8000 })],
    ['8-bit PCM', wav({ bitsPerSample: 8, frames: 8000 })],
    ['24-bit PCM stereo 48 kHz', wav({ bitsPerSample: 24, channels: 2, sampleRate: 48000, frames: 48000 })],
    ['A-law', wav({ tag: 6, bitsPerSample: 8, frames: 8000 })],
    ['µ-law', wav({ tag: 7, bitsPerSample: 8, frames: 8000 })],
    ['32-bit float 16 kHz', wav({ tag: 3, bitsPerSample: 32, sampleRate: 16000, frames: 16000 })],
    ['extensible 24-bit PCM', riff([chunk('fmt ', extensibleFmtBody({ channels: 2, sampleRate: 44100, bitsPerSample: 24, validBits: 24 })), chunk('data', Buffer.alloc(44100 * 6))])],
    ['exactly the 0.2 s minimum', wav({ frames: 1600 })],
    ['exactly the 5 min maximum', wav({ bitsPerSample: 8, frames: 8000 * 300 })],
  ])('%s', (_name, bytes) => {
    expect(() => validateUploadedPrompt(bytes)).not.toThrow();
  });

  it('returns the parsed header', () => {
    expect(validateUploadedPrompt(wav({ channels: 2, sampleRate: 44100, frames: 44100 }))).toMatchObject({ format: 'pcm', channels: 2, sampleRate: 44100, durationMs: 1000 });
  });
});

describe('validateUploadedPrompt: refusals name the limit', () => {
  const adpcmFmt = Buffer.alloc(16);
  adpcmFmt.writeUInt16LE(0x11, 0);
  adpcmFmt.writeUInt16LE(1, 2);
  adpcmFmt.writeUInt32LE(8000, 4);
  adpcmFmt.writeUInt32LE(4055, 8);
  adpcmFmt.writeUInt16LE(256, 12);
  adpcmFmt.writeUInt16LE(4, 14);

  it.each<[string, Buffer, string]>([
    ['an empty file', Buffer.alloc(0), 'the file is empty'],
    ['a file over 10 MiB (checked before parsing)', Buffer.alloc(PROMPT_UPLOAD_LIMITS.maxBytes + 1), 'the file is 10.1 MiB; the limit is 10 MiB'],
    ['a 12.5 MiB file', Buffer.alloc(12.5 * 1024 * 1024), 'the file is 12.5 MiB; the limit is 10 MiB'],
    ['not a WAV', Buffer.from('ID3\u0004 an mp3 perhaps', 'latin1'), 'not a WAV file (no RIFF header)'],
    ['32-bit integer PCM', wav({ bitsPerSample: 32, frames: 8000 }), '32-bit PCM is not accepted; use 8, 16 or 24-bit PCM'],
    ['IMA ADPCM', riff([chunk('fmt ', adpcmFmt), chunk('data', Buffer.alloc(4096))]), 'unsupported encoding: 4-bit IMA ADPCM, 8000 Hz, mono; accepted are PCM (8, 16 or 24-bit), A-law, µ-law or floating-point WAV'],
    ['96 kHz', wav({ sampleRate: 96000, frames: 96000 }), 'the sample rate is 96000 Hz; it must be between 8000 and 48000 Hz'],
    ['6 kHz', wav({ sampleRate: 6000, frames: 6000 }), 'the sample rate is 6000 Hz; it must be between 8000 and 48000 Hz'],
    ['3 channels', wav({ channels: 3, frames: 8000 }), 'the file has 3 channels; prompts must be mono or stereo (1–2 channels)'],
    ['0.15 s', wav({ frames: 1200 }), 'the recording is 0.15 s long; the minimum is 0.2 s'],
    ['no audio at all', wav({ frames: 0 }), 'the recording is 0 s long; the minimum is 0.2 s'],
    ['5 min 1 s', wav({ bitsPerSample: 8, frames: 8000 * 301 }), 'the recording is 5 min 1 s long; the maximum is 5 min'],
  ])('%s', (_name, bytes, message) => {
    const err = refusal(bytes);
    expect(err.code).toBe('BAD_AUDIO');
    expect(err.message).toBe(message);
  });
});
