import { createHash, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

/** How long a ticket is good for by default: enough to start a download or open a socket, not to be worth stealing. */
export const DEFAULT_URL_TICKET_TTL_MS = 60_000;

/**
 * What a ticket stands for: one user's session (by the hash of its token, so
 * that logging out ends the ticket too), one path, GET only. `once`: good for
 * a single use (WebSocket upgrades); else for any number of requests (Range
 * requests of one audio file) until it expires.
 */
export interface UrlTicketGrant {
  userId: number;
  sessionHash: string;
  path: string;
  once: boolean;
}

function isGrant(value: unknown): value is UrlTicketGrant {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.userId === 'number' && typeof v.sessionHash === 'string' && typeof v.path === 'string' && typeof v.once === 'boolean';
}

/**
 * Short-lived, single-purpose URL tickets (issue 15): what a browser puts in a
 * URL it cannot set headers on (`<audio src>`, a download link, a WebSocket)
 * instead of the session token. Kept in Redis, hashed, so that every process
 * honours a ticket any process issued:
 *
 *  key                          type    holds                 lifetime
 *  ---------------------------  ------  --------------------  ----------
 *  sb:auth:ticket:<sha256>      string  UrlTicketGrant JSON   PX ttlMs
 */
export class UrlTickets {
  readonly ttlMs: number;

  constructor(private readonly options: { redis: Redis; ttlMs?: number; prefix?: string }) {
    this.ttlMs = options.ttlMs ?? DEFAULT_URL_TICKET_TTL_MS;
  }

  private key(ticket: string): string {
    return `${this.options.prefix ?? 'sb:auth:ticket:'}${createHash('sha256').update(ticket).digest('hex')}`;
  }

  /** A new ticket for `grant`; the ticket itself is returned once and never stored. */
  async issue(grant: UrlTicketGrant, now = Date.now()): Promise<{ ticket: string; expiresAt: number }> {
    const ticket = randomBytes(24).toString('base64url');
    await this.options.redis.set(this.key(ticket), JSON.stringify(grant), 'PX', this.ttlMs);
    return { ticket, expiresAt: now + this.ttlMs };
  }

  /**
   * The grant of `ticket` when it is live and was issued for `path`; a
   * single-use ticket is spent by this call (whatever the path: a ticket shown
   * to the wrong place is not tried twice). Null otherwise.
   */
  async redeem(ticket: string, path: string): Promise<UrlTicketGrant | null> {
    if (ticket.length === 0 || ticket.length > 100) return null;
    const key = this.key(ticket);
    const raw = await this.options.redis.get(key);
    if (raw === null) return null;
    let grant: unknown;
    try {
      grant = JSON.parse(raw);
    } catch {
      return null;
    }
    if (!isGrant(grant)) return null;
    // Spent atomically: of two uses racing, the one whose DEL removed the key wins.
    if (grant.once && (await this.options.redis.del(key)) === 0) return null;
    return grant.path === path ? grant : null;
  }
}
