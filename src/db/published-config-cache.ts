import type Redis from 'ioredis';
import type { Logger } from '../logger';
import { ChangeFeed } from '../platform/change-feed';
import { deepFreeze } from '../platform/deep-freeze';
import type { Db } from './pool';
import type { ConfigVersion, VersionedConfigStore } from './versioned-config-store';

export interface PublishedNotice {
  table: string;
  scope: string | null;
}

const parseNotice = (message: unknown): PublishedNotice => {
  const m = message as Partial<PublishedNotice> | null;
  return { table: typeof m?.table === 'string' ? m.table : '*', scope: typeof m?.scope === 'string' ? m.scope : null };
};

/** Announces publications so that every process's cache serves the new version to its next call. */
export class ConfigPublishedFeed extends ChangeFeed<PublishedNotice> {
  constructor(redis: Redis, logger: Logger) {
    super(redis, 'sb:config:published', logger, parseNotice);
  }
}

/**
 * The published version of a config, as a new call should see it. A call
 * keeps the document it got for its whole life; publishing affects only calls
 * that start later. When Postgres is down the last version read is served.
 */
export class PublishedConfigCache<TDocument> {
  private readonly entries = new Map<string, ConfigVersion<TDocument> | null>();

  constructor(private readonly db: Db, private readonly store: VersionedConfigStore<TDocument>, private readonly logger: Logger) {}

  async current(scope: string | null): Promise<ConfigVersion<TDocument> | null> {
    const key = scope ?? '';
    if (this.entries.has(key)) return this.entries.get(key) ?? null;
    try {
      // Frozen once here: every call of this process shares the object (IvrRun takes a frozen flow without copying it).
      const published = deepFreeze(await this.store.published(this.db, scope));
      this.entries.set(key, published);
      return published;
    } catch (err) {
      this.logger.warn({ table: this.store.spec.table, scope, err: (err as Error).message }, 'cannot read the published config; no cached copy');
      throw err;
    }
  }

  /** Called on a publish notice: the next call reads the new version. A stale copy is kept only as an outage fallback. */
  invalidate(notice: PublishedNotice): void {
    if (notice.table !== '*' && notice.table !== this.store.spec.table) return;
    const keys = notice.scope === null || notice.table === '*' ? [...this.entries.keys()] : [notice.scope];
    for (const key of keys) {
      const stale = this.entries.get(key);
      this.entries.delete(key);
      if (stale) this.fallbacks.set(key, stale);
    }
  }

  private readonly fallbacks = new Map<string, ConfigVersion<TDocument>>();

  /** As current(), but with Postgres down answers with the last version this process saw. */
  async currentOrLastKnown(scope: string | null): Promise<ConfigVersion<TDocument> | null> {
    try {
      return await this.current(scope);
    } catch {
      return this.fallbacks.get(scope ?? '') ?? null;
    }
  }
}
