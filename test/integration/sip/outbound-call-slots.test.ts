import Redis from 'ioredis';
import { createRootLogger } from '../../../src/logger';
import type { RunningService } from '../../../src/platform/managed-process';
import { RedisOutboundCallSlots } from '../../../src/sip/outbound-call-slots';
import { eventually } from '../../helpers/eventually';
import { startTestRedis } from '../../helpers/test-env';

/**
 * The per-user cap on live outbound calls (issue 15) counts across processes:
 * here two "processes" (two slot stores, two connections) share one real Redis.
 */
describe('outbound call slots in Redis (issue 15: per-user cap across processes)', () => {
  let server: RunningService;
  const connections: Redis[] = [];
  const logger = createRootLogger('silent');
  const store = (options: { now?: () => number; leaseMs?: number; renewMs?: number } = {}): RedisOutboundCallSlots => {
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return new RedisOutboundCallSlots({ redis, logger, ...options });
  };

  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(async () => {
    for (const c of connections) c.disconnect();
    await server?.stop();
  });

  it('two processes share one count: the third call of a person is refused, a released slot is taken again', async () => {
    const a = store();
    const b = store();
    expect(await a.acquire(1, 'call-1', 2)).toEqual({ acquired: true, live: 1 });
    expect(await b.acquire(1, 'call-2', 2)).toEqual({ acquired: true, live: 2 });
    expect(await b.acquire(1, 'call-3', 2)).toEqual({ acquired: false, live: 2 });
    // Someone else is not affected.
    expect(await b.acquire(2, 'call-4', 2)).toEqual({ acquired: true, live: 1 });
    expect(await a.count(1)).toBe(2);
    await a.release(1, 'call-1');
    expect(await b.count(1)).toBe(1);
    expect(await b.acquire(1, 'call-3', 2)).toEqual({ acquired: true, live: 2 });
    // An emergency call (no limit) is counted, never refused.
    expect(await a.acquire(1, 'call-112', null)).toEqual({ acquired: true, live: 3 });
    for (const [staff, call] of [[1, 'call-2'], [1, 'call-3'], [1, 'call-112'], [2, 'call-4']] as const) await (staff === 2 ? b : a).release(staff, call);
    expect(await a.count(1)).toBe(0);
    a.stop();
    b.stop();
  });

  it('many attempts at once never pass the cap', async () => {
    const stores = [store(), store(), store()];
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 3]!.acquire(5, `burst-${i}`, 2)));
    expect(results.filter((r) => r.acquired)).toHaveLength(2);
    expect(await stores[0]!.count(5)).toBe(2);
    for (const s of stores) s.stop();
  });

  it('a dead process\'s calls stop counting when their lease runs out; a living process renews its own', async () => {
    let clock = 1_000_000;
    const now = (): number => clock;
    const dead = store({ now, leaseMs: 60_000 });
    const alive = store({ now, leaseMs: 60_000, renewMs: 20 });
    await dead.acquire(9, 'dead-call', 2);
    dead.stop();
    await alive.acquire(9, 'live-call', 2);
    expect(await alive.count(9)).toBe(2);
    // Time passes for both; only the living one renews (its lease now runs from the new time).
    clock += 50_000;
    const leaseOf = async (): Promise<number> => Number(await connections[0]!.zscore('sb:outbound:9', 'live-call'));
    expect(await eventually(leaseOf, (until) => until >= clock + 60_000, 5_000, 20)).toBe(clock + 60_000);
    clock += 20_000;
    expect(await alive.count(9)).toBe(1);
    expect(await alive.acquire(9, 'next-call', 2)).toEqual({ acquired: true, live: 2 });
    alive.stop();
  });
});
