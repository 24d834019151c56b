import type { ClientFacts } from '../routing/client-facts';
import type { Logger } from '../logger';
import { tryNormalisePhone } from './phone-number';

/** What the lookup found, and how sure it is: routing states the difference in its reason. */
export type CallerLookupResult =
  | { kind: 'known'; e164: string; client: ClientFacts; source: 'directory' | 'cache' | 'stale-cache' }
  | { kind: 'new'; e164: string | null }
  | { kind: 'unavailable'; e164: string; error: string };

export interface CallerLookupOptions {
  /** Reads the directory (Postgres); throws when it is unreachable. */
  fetch: (e164: string) => Promise<ClientFacts | null>;
  defaultCountry: string;
  logger: Logger;
  /** How long an entry is trusted without asking the directory again. */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  client: ClientFacts | null;
  storedAt: number;
}

/**
 * Caller number (From / P-Asserted-Identity, any format) → client facts.
 * Cached per process; entries are dropped when the directory says a client
 * changed. When Postgres is down an expired entry is still used, and with no
 * entry the caller is routed as unknown: a lookup never fails a call.
 */
export class CallerLookup {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: CallerLookupOptions) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** The country a number without its country code is read in (config phone.defaultCountry). */
  get defaultCountry(): string {
    return this.options.defaultCountry;
  }

  async lookup(callerNumber: string): Promise<CallerLookupResult> {
    const e164 = tryNormalisePhone(callerNumber, this.options.defaultCountry);
    if (!e164) return { kind: 'new', e164: null };
    const cached = this.cache.get(e164);
    if (cached && this.now() - cached.storedAt < this.ttlMs) {
      return cached.client ? { kind: 'known', e164, client: cached.client, source: 'cache' } : { kind: 'new', e164 };
    }
    try {
      const client = await this.options.fetch(e164);
      this.store(e164, client);
      return client ? { kind: 'known', e164, client, source: 'directory' } : { kind: 'new', e164 };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.options.logger.warn({ e164, err: error }, 'client directory unavailable; using the cache');
      if (cached?.client) return { kind: 'known', e164, client: cached.client, source: 'stale-cache' };
      if (cached) return { kind: 'new', e164 };
      return { kind: 'unavailable', e164, error };
    }
  }

  /** Drops what is known about these numbers (or everything): called when the directory changes. */
  invalidate(e164s?: readonly string[]): void {
    if (!e164s) {
      this.cache.clear();
      return;
    }
    for (const e164 of e164s) this.cache.delete(e164);
  }

  private store(e164: string, client: ClientFacts | null): void {
    this.cache.delete(e164);
    this.cache.set(e164, { client, storedAt: this.now() });
    // Map keeps insertion order: the first key is the least recently stored.
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
