import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The process's root logger. Modules take a child of it; a call takes one bound to its callId.
 *
 * Log fields that name a call, one meaning each: `callId` is Switchboard's own
 * call id (calls.id, the logger's binding); `sipCallId` is a SIP Call-ID header;
 * `acdCallId` is an ACD entry (the call id, or `<id>.t<n>` after transfers, or a callback's).
 */
export function createRootLogger(level: string, name = 'switchboard'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['password', '*.password', 'sipPassword', '*.sipPassword', 'authorization', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

/** A child logger for one call: every module on that call logs through it. */
export function callLogger(root: Logger, callId: string): Logger {
  return root.child({ callId });
}
