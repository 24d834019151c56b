import pino, { type Logger } from 'pino';

export type { Logger };

/** The process's root logger. Modules take a child of it; a call takes one bound to its callId. */
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
