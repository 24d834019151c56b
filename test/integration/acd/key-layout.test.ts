import { AcdHarness, operator } from './acd-harness';

describe('ACD keys in Redis (real Redis)', () => {
  let h: AcdHarness;

  beforeAll(async () => {
    h = await AcdHarness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  it('every key a busy ACD writes carries the hash-tagged prefix, so a Redis Cluster keeps them in one slot', async () => {
    const acd = await h.acd();
    await acd.defineQueue({ id: 'sales', wrapUpMs: 1000 });
    await acd.upsertAgent(operator('a1', { department: 'wholesale' }));
    await acd.transition('a1', 'ready');
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    await acd.enqueue({ callId: 'c2', queueId: 'sales', stages: [{ afterMs: 0, scope: { type: 'agents', agentIds: ['a1'] } }, { afterMs: 5000, scope: { type: 'queue' } }] });
    await acd.answer('c1', 'a1');
    await acd.hangUp('c1');
    await acd.requestCallback('c2', '+74951234567');
    await acd.stats('sales');
    const all = await h.redis.keys('*');
    expect(all.length).toBeGreaterThan(15);
    expect(all.filter((key) => !key.startsWith('sb:{acd}:'))).toEqual([]);
  });
});
