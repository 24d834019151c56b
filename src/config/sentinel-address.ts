/** The port a sentinel listens on unless told otherwise (Redis's own default, and ioredis's). */
export const DEFAULT_SENTINEL_PORT = 26379;

/** One Redis Sentinel to ask for the current primary. */
export interface SentinelAddress {
  host: string;
  port: number;
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const BRACKETED_V6 = /^\[([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)\]$/;

/**
 * Reads `host:port`, `host` (port 26379) or `[v6]:port`; null when it is none
 * of these or the port is out of range. An IPv6 address needs its brackets:
 * `::1:26379` cannot say where the address ends.
 */
export function parseSentinelAddress(text: string): SentinelAddress | null {
  const match = /^(\[[^\]]*\]|[^:[\]]+)(?::([0-9]{1,5}))?$/.exec(text.trim());
  if (!match) return null;
  const [, rawHost = '', rawPort] = match;
  const port = rawPort === undefined ? DEFAULT_SENTINEL_PORT : Number(rawPort);
  if (port < 1 || port > 65535) return null;
  const v6 = BRACKETED_V6.exec(rawHost);
  if (v6?.[1]) return { host: v6[1], port };
  return HOST_NAME.test(rawHost) ? { host: rawHost, port } : null;
}
