import type Redis from 'ioredis';
import type { Logger } from '../logger';
import { ChangeFeed } from '../platform/change-feed';
import { parseDigitChar, type DtmfEvent } from './dtmf-event';

/**
 * Key presses handed between Switchboard processes (issue 14). rtpengine 10.5
 * sends its DTMF log to one UDP address only (daemon/main.c `--dtmf-log-dest`,
 * a single endpoint), so every process on the host binds that port shared and
 * the kernel hands each datagram to one of them. A process that gets a digit
 * for a call it does not hold publishes it here; every process delivers what
 * arrives here to its own subscribers (DtmfListener.acceptRelayed).
 *
 * Pub/sub, not a stream: a digit is worth delivering only while the caller
 * waits for its effect, so one lost in a Redis outage stays lost instead of
 * turning up late. For the same reason the publishing client should have its
 * offline queue off (as the app's main client has): a publish fails at once
 * while Redis is away instead of being sent when it returns.
 */

/** The pub/sub channel. */
export const DTMF_RELAY_CHANNEL = 'sb:media:dtmf';

/** A relayed message as a digit, or null when it is not one (another version's message, garbage). Pure. */
export function parseRelayedDtmf(message: unknown): DtmfEvent | null {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const fields = message as Record<string, unknown>;
  const { callId, sourceTag, at, source, durationMs } = fields;
  if (typeof callId !== 'string' || callId === '' || typeof sourceTag !== 'string') return null;
  if (typeof at !== 'number' || !Number.isFinite(at)) return null;
  if (source !== 'rfc4733' && source !== 'sip-info') return null;
  const digit = typeof fields.digit === 'string' ? parseDigitChar(fields.digit) : null;
  if (!digit || digit !== fields.digit) return null;
  if (durationMs === undefined) return { callId, digit, sourceTag, at, source };
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0) return null;
  return { callId, digit, sourceTag, at, source, durationMs };
}

/**
 * The relay over Redis pub/sub. It is a ChangeFeed: the same publish-to-every-
 * process mechanism, whose publish logs and never rejects when Redis is away
 * and whose subscriber reconnects and subscribes again by itself.
 */
export class DtmfRelayFeed extends ChangeFeed<DtmfEvent | null> {
  constructor(redis: Redis, logger: Logger) {
    super(redis, DTMF_RELAY_CHANNEL, logger, parseRelayedDtmf);
  }
}
