import Redis from 'ioredis';
import { Acd } from '../../../src/acd';
import { acdDirectorySource } from '../../../src/db/repositories/acd-directory-source';
import type { AcdDirectorySource } from '../../../src/directory/acd-directory-source';
import { syncDirectoryToAcd } from '../../../src/directory/acd-directory-sync';
import { queuePlanFor } from '../../../src/sip/queue-plan';
import { createRootLogger } from '../../../src/logger';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

describe('directory → ACD sync (real Postgres and Redis, demo data)', () => {
  let h: ApiHarness;
  let redis: Redis;
  let acd: Acd;
  let directory: AcdDirectorySource;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    h = await startApiHarness({ demo: true });
    directory = acdDirectorySource(h.db, 'switchboard.local');
    redis = new Redis(h.redis.options.port as number, h.redis.options.host as string);
    acd = new Acd({ redis, nodeId: 'sync-test' });
    await acd.heartbeat();
    const staff = await h.call('GET', '/api/staff', { token: h.tokens.admin });
    for (const s of staff.body as Array<{ id: number; fullName: string }>) ids.set(s.fullName, String(s.id));
  });
  afterAll(async () => {
    await acd.stop({ leave: false });
    redis.disconnect();
    await h.close();
  });

  it('makes every active call-taking staff member an agent with kind, department, skills and queues', async () => {
    const result = await syncDirectoryToAcd(directory, acd, createRootLogger('silent'));
    expect(result).toEqual({ queues: 7, agents: 10 });
    const ion = await acd.getAgent(ids.get('Ion Popescu')!);
    expect(ion?.profile).toMatchObject({ kind: 'operator', department: 'regional_sales', skills: { orders: 3, regional: 3 }, languages: ['ro', 'ru'] });
    expect(ion?.profile.queues.sort()).toEqual(['direct', 'operators', 'regional']);
    expect(ion?.state).toBe('logged_out');
    const pavel = await acd.getAgent(ids.get('Pavel Orlov')!);
    expect(pavel?.profile).toMatchObject({ kind: 'key_account_manager', department: 'wholesale_sales' });
  });

  it('leaves supervisors, admins and inactive staff out', async () => {
    const created = await h.call('POST', '/api/staff', { token: h.tokens.admin, body: { fullName: 'Sam Supervisor', role: 'supervisor' } });
    const inactive = await h.call('POST', '/api/staff', { token: h.tokens.admin, body: { fullName: 'Gone Operator', role: 'operator', active: false } });
    await syncDirectoryToAcd(directory, acd, createRootLogger('silent'));
    expect(await acd.getAgent(String(created.body.id))).toBeNull();
    expect(await acd.getAgent(String(inactive.body.id))).toBeNull();
  });

  it('gives the regional queue its skill requirement: only the regional operator is offered its calls', async () => {
    await syncDirectoryToAcd(directory, acd, createRootLogger('silent'));
    for (const name of ['Anna Petrova', 'Olga Smirnova', 'Ion Popescu']) await acd.transition(ids.get(name)!, 'ready');
    const result = await acd.enqueue({ callId: 'sync-call-1', queueId: 'regional' });
    expect(result.outcome).toBe('reserved');
    expect(result.reservations.map((r) => r.agentId)).toEqual([ids.get('Ion Popescu')]);
  });

  it('a key client\'s chain from the routing decision rings the own manager, then on no answer the next key-account manager', async () => {
    const pavel = ids.get('Pavel Orlov')!;
    const elena = ids.get('Elena Kuznetsova')!;
    await acd.transition(pavel, 'ready');
    await acd.transition(elena, 'ready');
    const step = (id: string, name: string) => ({ kind: 'person' as const, staffId: Number(id), name, role: 'key_account_manager' as const, departmentCode: 'wholesale_sales', departmentName: 'Wholesale sales', ringTimeoutSeconds: 20 });
    const plan = queuePlanFor({ ...step(pavel, 'Pavel Orlov'), fallback: [step(elena, 'Elena Kuznetsova'), { kind: 'queue', queue: 'operators', requiredSkills: {}, priority: 9 }] }, 5)!;
    const queued = await acd.enqueue({ callId: 'key-call-1', queueId: plan.queueId, priority: plan.priority, stages: plan.stages! });
    expect(queued.reservations.map((r) => r.agentId)).toEqual([pavel]);
    await acd.markOffered('key-call-1', pavel);
    const next = await acd.ringNoAnswer('key-call-1', pavel);
    expect(next.reservations.map((r) => r.agentId)).toEqual([elena]);
    expect((await acd.getAgent(pavel))?.state).toBe('not_ready');
  });

  it('keeps live agent states when synchronised again', async () => {
    await syncDirectoryToAcd(directory, acd, createRootLogger('silent'));
    expect((await acd.getAgent(ids.get('Anna Petrova')!))?.state).toBe('ready');
  });
});
