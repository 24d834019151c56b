import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The process's root logger. Modules take a child of it; a call takes one bound to its callId.
 *
 * Log fields that name a call, one meaning each: `callId` is Switchboard's own
 * call id (calls.id, the logger's binding); `sipCallId` is a SIP Call-ID header;
 * `acdCallId` is an ACD entry (the call id, or `<id>.t<n>` after transfers, or a callback's).
 */
/** Query parameters whose values are credentials: session tokens, URL tickets. */
const SECRET_QUERY_PARAMS = new Set(['access_token', 'ticket', 'token']);

/**
 * A URL as it may be logged: the values of credential query parameters
 * (SECRET_QUERY_PARAMS) replaced, the rest as sent (issue 15: tokens are never
 * logged). Works on a path with a query as well as on a full URL.
 */
export function redactUrlSecrets(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const hashAt = url.indexOf('#', queryAt);
  const query = url.slice(queryAt + 1, hashAt < 0 ? undefined : hashAt);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed name is compared as sent.
      }
      return eq >= 0 && SECRET_QUERY_PARAMS.has(decoded.toLowerCase()) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, queryAt + 1)}${redacted}${hashAt < 0 ? '' : url.slice(hashAt)}`;
}

const redactUrlField = (value: unknown): unknown => (typeof value === 'string' ? redactUrlSecrets(value) : value);

export function createRootLogger(level: string, name = 'switchboard', destination?: NodeJS.WritableStream): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: [
        'password', '*.password', 'sipPassword', '*.sipPassword', 'authorization', 'headers.authorization', '*.headers.authorization',
        'headers.cookie', '*.headers.cookie', 'token', '*.token', 'ticket', '*.ticket',
      ],
      censor: '[redacted]',
    },
    // Whoever logs a URL (`url`, or a request as `req`), its credentials are left out.
    serializers: {
      url: redactUrlField,
      // Method and URL only: never the headers (Authorization, Cookie), whatever shape the request has.
      req: (req: unknown): unknown => {
        if (typeof req !== 'object' || req === null) return req;
        const { method, url } = req as { method?: unknown; url?: unknown };
        return { method, url: redactUrlField(url) };
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A child logger for one call: every module on that call logs through it. */
export function callLogger(root: Logger, callId: string): Logger {
  return root.child({ callId });
}
