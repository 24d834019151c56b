import Redis from 'ioredis';
import { Acd } from '../../../src/acd';
import { AvailabilityView } from '../../../src/acd/availability-view';
import { acdDirectorySource } from '../../../src/db/repositories/acd-directory-source';
import { syncDirectoryToAcd } from '../../../src/directory/acd-directory-sync';
import { createRootLogger } from '../../../src/logger';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually } from '../../helpers/eventually';


describe('availability view for routing (real ACD in Redis, demo directory)', () => {
  let h: ApiHarness;
  let redis: Redis;
  let subscriber: Redis;
  let acd: Acd;
  let view: AvailabilityView;
  const ids = new Map<string, string>();
  const queues = ['operators', 'regional', 'key_accounts', 'finance', 'quality_control', 'second_line'];

  beforeAll(async () => {
    h = await startApiHarness({ demo: true });
    redis = new Redis(h.redis.options.port as number, h.redis.options.host as string);
    subscriber = redis.duplicate();
    acd = new Acd({ redis, nodeId: 'view-test' });
    await acd.heartbeat();
    await syncDirectoryToAcd(acdDirectorySource(h.db, 'switchboard.local'), acd, createRootLogger('silent'));
    const staff = (await h.call('GET', '/api/staff', { token: h.tokens.admin })).body as Array<{ id: number; fullName: string }>;
    for (const s of staff) ids.set(s.fullName, String(s.id));
    view = new AvailabilityView(acd, subscriber, () => Promise.resolve([...ids.values()]), createRootLogger('silent'));
    await view.start();
  });
  afterAll(async () => {
    await view.stop();
    await acd.stop({ leave: false });
    subscriber.disconnect();
    redis.disconnect();
    await h.close();
  });

  const presenceOf = (name: string) => view.snapshot(queues).staff.find((s) => s.staffId === Number(ids.get(name)))?.presence;
  const queueOf = (queue: string) => view.snapshot(queues).queues.find((q) => q.queue === queue);

  it('starts with everyone logged out and every queue listed as empty', () => {
    expect(presenceOf('Anna Petrova')).toBe('logged_out');
    expect(queueOf('regional')).toEqual({ queue: 'regional', agentsLoggedIn: 0, agentsAvailable: 0 });
  });

  it('follows agent state changes from ACD events without asking Redis per decision', async () => {
    await acd.transition(ids.get('Anna Petrova')!, 'ready');
    await acd.transition(ids.get('Ion Popescu')!, 'not_ready', { reason: 'break' });
    expect(await eventually(() => presenceOf('Anna Petrova'), (p) => p === 'available')).toBe('available');
    expect(await eventually(() => presenceOf('Ion Popescu'), (p) => p === 'not_ready')).toBe('not_ready');
    expect(queueOf('operators')).toEqual({ queue: 'operators', agentsLoggedIn: 2, agentsAvailable: 1 });
    expect(queueOf('regional')).toEqual({ queue: 'regional', agentsLoggedIn: 1, agentsAvailable: 0 });
  });

  it('shows a person taking a call as busy', async () => {
    await acd.enqueue({ callId: 'view-call', queueId: 'operators' });
    expect(await eventually(() => presenceOf('Anna Petrova'), (p) => p === 'busy')).toBe('busy');
  });
});
