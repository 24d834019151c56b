import type { AppConfig } from './config-schema';

/** rtpengine's own default ng port, used when a URL names none. */
export const DEFAULT_NG_PORT = 22222;

/** One external rtpengine as the configuration names it. */
export interface RtpengineTarget {
  /** `udp://host:port`, written the same way whatever the configuration said: it names the engine in call checkpoints. */
  url: string;
  host: string;
  port: number;
  /** Its --recording-dir as this process sees it, as configured (relative to the working directory); null: the default. */
  recordingDir: string | null;
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const BRACKETED_V6 = /^\[([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)\]$/;

/**
 * Reads an rtpengine ng address, `udp://host:port` (port 22222 when left
 * out; an IPv6 address in brackets); null when it is anything else. The ng
 * protocol runs over UDP only, so the scheme is required: `host:port` alone
 * is refused rather than guessed.
 */
export function parseRtpengineUrl(text: string): { url: string; host: string; port: number } | null {
  const match = /^udp:\/\/(\[[^\]]*\]|[^:/[\]]+)(?::([0-9]{1,5}))?\/?$/.exec(text.trim());
  if (!match) return null;
  const [, rawHost = '', rawPort] = match;
  const port = rawPort === undefined ? DEFAULT_NG_PORT : Number(rawPort);
  if (port < 1 || port > 65535) return null;
  const v6 = BRACKETED_V6.exec(rawHost);
  if (v6?.[1]) return { url: `udp://[${v6[1]}]:${port}`, host: v6[1], port };
  return HOST_NAME.test(rawHost) ? { url: `udp://${rawHost}:${port}`, host: rawHost, port } : null;
}

/**
 * The external rtpengines the configuration names, in order (issue 14:
 * several, calls spread over them): `rtpengine.urls` with
 * `rtpengine.recordingDirs` one for one, or the single `rtpengine.url` with
 * `rtpengine.recordingDir`. Empty: none is named, a local one is started.
 * Takes a configuration loadConfig accepted; throws on one it would refuse.
 */
export function rtpengineTargets(rtpengine: AppConfig['rtpengine']): RtpengineTarget[] {
  const urls = rtpengine.url !== null ? [rtpengine.url] : rtpengine.urls;
  return urls.map((text, index) => {
    const parsed = parseRtpengineUrl(text);
    if (!parsed) throw new Error(`not an rtpengine URL: ${JSON.stringify(text)}`);
    const recordingDir = rtpengine.recordingDirs[index] ?? (urls.length === 1 ? rtpengine.recordingDir : null);
    return { ...parsed, recordingDir };
  });
}
