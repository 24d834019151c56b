import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app-error';
import { parsePcap, type PcapUdpPacket } from './pcap-reader';
import { mixRecording, type RecordingLayout, type RecordingWindow } from './recording-mixer';
import { encodeStereoWav } from './wav-writer';

/**
 * A call's recording after the call: rtpengine's pcap capture
 * (`<recordingDir>/pcaps/<call-id>-<16 hex>.pcap`, design §7) turned into a
 * stereo 8 kHz 16-bit WAV, caller left, agent right.
 */

/** The WAV written for a call. */
export interface RecordingFile {
  path: string;
  durationMs: number;
  sizeBytes: number;
}

/** Options of convertCallRecording. */
export interface ConvertRecordingOptions {
  /** rtpengine's `--recording-dir`, as this process sees it. */
  recordingDir: string;
  callId: string;
  /** Where the WAV goes; its folder is created. */
  outputPath: string;
  layout: RecordingLayout;
  /**
   * Wall-clock span of the recording (start recording → stop or delete): the WAV is
   * exactly this long. Without it, from the first packet to the end of the last.
   */
  window?: RecordingWindow;
  /** Remove the pcap files once the WAV is written. Default false. */
  removeCapture?: boolean;
}

/**
 * `<root>/YYYY/MM/DD/<callId>.wav` for a call that started at `startedAt`
 * (UTC, so that a folder never holds two days). The call id is %-escaped
 * like rtpengine's capture names: SIP Call-IDs may hold `@`, `/` and more, and
 * the escaping keeps two ids from ever sharing a file.
 */
export function recordingWavPath(root: string, callId: string, startedAt: Date): string {
  const yyyy = String(startedAt.getUTCFullYear());
  const mm = String(startedAt.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(startedAt.getUTCDate()).padStart(2, '0');
  if (callId === '') throw new AppError('VALIDATION_FAILED', 'a recording needs a non-empty call id');
  return path.join(root, yyyy, mm, dd, `${rtpengineEscapedCallId(callId)}.wav`);
}

/**
 * The call id as rtpengine puts it in file names: `g_uri_escape_string(callid,
 * NULL, FALSE)` — every byte of its UTF-8 except the RFC 3986 unreserved
 * characters as `%XX`, upper-case hex (rtpengine daemon/recording.c).
 */
export function rtpengineEscapedCallId(callId: string): string {
  let out = '';
  for (const byte of Buffer.from(callId, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * rtpengine names a capture `<escaped call-id>-<16 hex digits>.pcap`, a new
 * random suffix each time recording starts (stop and start again gives a
 * second file).
 */
export async function findCallCaptures(recordingDir: string, callId: string): Promise<string[]> {
  const dir = path.join(recordingDir, 'pcaps');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const prefix = `${rtpengineEscapedCallId(callId)}-`;
  return names
    .filter((name) => name.startsWith(prefix) && /^[0-9a-f]{16}\.pcap$/.test(name.slice(prefix.length)))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Reads every capture of `callId`, mixes it (recording-mixer) and writes the
 * WAV. The file appears at `outputPath` only once complete.
 *
 * @throws AppError `NOT_FOUND` when rtpengine wrote no capture for the call, `BAD_AUDIO` for an unreadable one.
 */
export async function convertCallRecording(options: ConvertRecordingOptions): Promise<RecordingFile> {
  const captures = await findCallCaptures(options.recordingDir, options.callId);
  if (captures.length === 0) {
    throw new AppError('NOT_FOUND', `no pcap recording for call ${options.callId} under ${path.join(options.recordingDir, 'pcaps')}`);
  }
  const packets: PcapUdpPacket[] = [];
  for (const file of captures) packets.push(...parsePcap(await readFile(file)).packets);
  // Several files (recording stopped and started again) are one timeline.
  packets.sort((a, b) => a.timestampUs - b.timestampUs);
  const mixed = mixRecording(packets, options.layout, options.window ? { window: options.window } : {});
  const wav = encodeStereoWav(mixed.caller, mixed.agent, mixed.sampleRate);

  await mkdir(path.dirname(options.outputPath), { recursive: true });
  const partial = path.join(path.dirname(options.outputPath), `.${path.basename(options.outputPath)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await writeFile(partial, wav);
    await rename(partial, options.outputPath);
  } finally {
    await rm(partial, { force: true });
  }
  if (options.removeCapture) await Promise.all(captures.map((file) => rm(file, { force: true })));
  return { path: options.outputPath, durationMs: mixed.durationMs, sizeBytes: wav.length };
}
