import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { startPostgresServer } from '../../../src/db/postgres-server';
import { runMigrations } from '../../../src/db/migrate';
import { createPool, type Db } from '../../../src/db/pool';
import { findClientFactsByPhone } from '../../../src/db/repositories/caller-facts-repository';
import { CallerLookup, type CallerLookupResult } from '../../../src/directory/caller-lookup';
import { DirectoryChangeFeed } from '../../../src/directory/directory-change-feed';
import { createRootLogger } from '../../../src/logger';
import { freeTcpPort, type RunningService } from '../../../src/platform/managed-process';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { startTestRedis } from '../../helpers/test-env';
import { eventually } from '../../helpers/eventually';

const logger = createRootLogger('silent');


describe('caller lookup (real Postgres and Redis)', () => {
  let root: string;
  let pgPort: number;
  let postgres: RunningService;
  let redisServer: RunningService;
  let h: ApiHarness;
  let db: Db;
  let redis: Redis;
  let feed: DirectoryChangeFeed;
  let lookup: CallerLookup;
  let clientId: number;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-lookup-'));
    chmodSync(root, 0o755);
    pgPort = await freeTcpPort();
    postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: pgPort, fast: true });
    await runMigrations(postgres.url, 'up');
    redisServer = await startTestRedis();
    h = await startApiHarness({ databaseUrl: postgres.url, redisUrl: redisServer.url });
    // A second "process": its own pool, Redis connection and cache, as another Switchboard instance would have.
    db = createPool(postgres.url, logger);
    redis = new Redis(redisServer.url);
    feed = new DirectoryChangeFeed(redis, logger);
    lookup = new CallerLookup({ fetch: (e164) => findClientFactsByPhone(db, e164), defaultCountry: 'RU', logger, ttlMs: 60_000 });
    await feed.subscribe((change) => lookup.invalidate(change.e164s ?? undefined));
    const created = await h.call('POST', '/api/clients', { token: h.tokens.admin, body: { name: 'Lookup Key Client', type: 'key', phones: ['+7 495 700-00-01'], overdueDebt: 0, creditLimit: 1000, balance: 1500 } });
    clientId = created.body.id;
  });

  afterAll(async () => {
    feed.close();
    redis.disconnect();
    await db.end().catch(() => undefined);
    await h.close();
    await redisServer.stop();
    await postgres.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('finds the client from any written form of the number, then from the cache', async () => {
    const first = await lookup.lookup('sip:84957000001@trunk.example');
    expect(first).toMatchObject({ kind: 'known', e164: '+74957000001', source: 'directory', client: { id: clientId, type: 'key', balance: 1500, creditLimit: 1000 } });
    expect(await lookup.lookup('+7 (495) 700-00-01')).toMatchObject({ kind: 'known', source: 'cache' });
  });

  it('treats an unknown or unreadable number as a new caller', async () => {
    expect(await lookup.lookup('+7 495 700-99-99')).toEqual({ kind: 'new', e164: '+74957009999' });
    expect(await lookup.lookup('anonymous')).toEqual({ kind: 'new', e164: null });
  });

  it('drops a cached client in another process when the API changes it', async () => {
    await h.call('PATCH', `/api/clients/${clientId}`, { token: h.tokens.admin, body: { type: 'market' } });
    const seen = await eventually(async () => {
      const result = await lookup.lookup('+74957000001');
      return result.kind === 'known' ? result.client.type : result.kind;
    }, (type) => type === 'market', 5000);
    expect(seen).toBe('market');
  });

  it('keeps answering from the cache through a Postgres outage, and says when it cannot know', async () => {
    expect(await lookup.lookup('+74957000001')).toMatchObject({ kind: 'known' });
    await postgres.stop();
    const expiredLookup = new CallerLookup({ fetch: (e164) => findClientFactsByPhone(db, e164), defaultCountry: 'RU', logger, ttlMs: 0 });
    // Without a cache entry: "unavailable", which routing treats as an unknown caller.
    const unknown: CallerLookupResult = await expiredLookup.lookup('+74957000001');
    expect(unknown.kind).toBe('unavailable');
    // With an expired entry: the stale client, marked as such.
    const withStale = new CallerLookup({ fetch: (e164) => findClientFactsByPhone(db, e164), defaultCountry: 'RU', logger, ttlMs: 0 });
    postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: pgPort, fast: true });
    await eventually(async () => (await withStale.lookup('+74957000001')).kind, (kind) => kind === 'known', 10000);
    await postgres.stop();
    expect(await withStale.lookup('+74957000001')).toMatchObject({ kind: 'known', source: 'stale-cache', client: { id: clientId } });
    postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: pgPort, fast: true });
  });
});
