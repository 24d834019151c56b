import { subscribeAcdEvents, type Acd } from '../../../src/acd';
import { ofType, operator, useAcdHarness } from './acd-harness';
import { eventually } from '../../helpers/eventually';

describe('ACD queues: order, position, estimated wait, abandon, callbacks (real Redis)', () => {
  let acd: Acd;
  const h = useAcdHarness(async (fresh) => {
    acd = fresh;
    await acd.defineQueue({ id: 'sales', wrapUpMs: 0 });
  });

  it('orders by priority, then FIFO within a priority even in the same millisecond', async () => {
    await acd.enqueue({ callId: 'low-1', queueId: 'sales', priority: 2 });
    await acd.enqueue({ callId: 'norm-1', queueId: 'sales' });
    await acd.enqueue({ callId: 'low-2', queueId: 'sales', priority: 2 });
    await acd.enqueue({ callId: 'key-1', queueId: 'sales', priority: 9 });
    await acd.enqueue({ callId: 'norm-2', queueId: 'sales' });
    h.clock.advance(1);
    await acd.enqueue({ callId: 'key-2', queueId: 'sales', priority: 9 });
    expect(await acd.waitingCalls('sales')).toEqual(['key-1', 'key-2', 'norm-1', 'norm-2', 'low-1', 'low-2']);
    expect((await acd.position('norm-2')).position).toBe(4);
    // and agents take them in that order
    await acd.upsertAgent(operator('a1'));
    const served: string[] = [];
    await acd.transition('a1', 'ready');
    for (let i = 0; i < 6; i++) {
      const call = (await acd.getAgent('a1'))?.callId;
      if (!call) throw new Error('agent got no call');
      served.push(call);
      await acd.answer(call, 'a1');
      await acd.hangUp(call);
    }
    expect(served).toEqual(['key-1', 'key-2', 'norm-1', 'norm-2', 'low-1', 'low-2']);
  });

  it('rejects bad input before touching Redis', async () => {
    await expect(acd.enqueue({ callId: 'c1', queueId: 'sales', priority: 10 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(acd.enqueue({ callId: 'bad id', queueId: 'sales' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(acd.enqueue({ callId: 'c1', queueId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    await expect(acd.enqueue({ callId: 'c1', queueId: 'sales' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('says "unknown" for the estimated wait without data, then estimates from handle times and agents serving', async () => {
    await acd.upsertAgent(operator('a1'));
    await acd.upsertAgent(operator('a2'));
    for (const id of ['c1', 'c2', 'c3', 'c4']) await acd.enqueue({ callId: id, queueId: 'sales' });
    expect((await acd.position('c3')).estimatedWaitMs).toBe('unknown'); // nobody logged in
    await acd.transition('a1', 'ready'); // takes c1
    await acd.transition('a2', 'not_ready', { reason: 'break' });
    expect((await acd.position('c3')).estimatedWaitMs).toBe('unknown'); // no handle times yet
    await acd.answer('c1', 'a1');
    h.clock.advance(120_000);
    await acd.hangUp('c1', { wrapUpMs: 0 }); // handle time 120 s; a1 takes c2
    await acd.transition('a2', 'ready'); // takes c3
    const p = await acd.position('c4');
    expect(p).toMatchObject({ position: 1, waitingCount: 1, state: 'waiting' });
    // one caller to serve, two agents serving, 120 s average handle time
    expect(p.estimatedWaitMs).toBe(60_000);
  });

  it('removes an abandoning caller at once and records the wait', async () => {
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    await acd.enqueue({ callId: 'c2', queueId: 'sales' });
    h.clock.advance(12_000);
    const { waitMs } = await acd.abandon('c1');
    expect(waitMs).toBe(12_000);
    expect(await acd.waitingCalls('sales')).toEqual(['c2']);
    expect((await acd.position('c2')).position).toBe(1);
    expect((await acd.getCall('c1'))?.state).toBe('abandoned');
    const [event] = ofType(await h.events(acd), 'call_abandoned');
    expect(event).toMatchObject({ callId: 'c1', waitMs: 12_000, queueId: 'sales' });
    const stats = await acd.stats('sales');
    expect(stats.today).toMatchObject({ offered: 2, abandoned: 1 });
    // a second abandon is refused: the call is finished
    await expect(acd.abandon('c1')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });

  it('frees the agent when the caller hangs up while the agent is being rung', async () => {
    await acd.upsertAgent(operator('a1'));
    await acd.transition('a1', 'ready');
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    await acd.markOffered('c1', 'a1');
    await acd.enqueue({ callId: 'c2', queueId: 'sales' });
    const result = await acd.hangUp('c1');
    expect(result.outcome).toBe('abandoned');
    // the freed agent takes the next caller in the same step
    expect(result.reservations.map((r) => [r.callId, r.agentId])).toEqual([['c2', 'a1']]);
  });

  it('keeps a callback request at the caller’s place and reserves an agent for it at the head', async () => {
    for (const id of ['c1', 'c2', 'c3']) {
      await acd.enqueue({ callId: id, queueId: 'sales', callerNumber: '+48221234567' });
      h.clock.advance(1000);
    }
    const before = await acd.getCall('c2');
    const { position } = await acd.requestCallback('c2', '+48601000111');
    expect(position).toBe(2);
    const after = await acd.getCall('c2');
    expect(after).toMatchObject({ kind: 'callback', score: before?.score, callbackNumber: '+48601000111', owner: '' });
    expect((await acd.stats('sales')).callbacksWaiting).toBe(1);
    await acd.upsertAgent(operator('a1'));
    await acd.transition('a1', 'ready');
    await acd.answer('c1', 'a1');
    await acd.hangUp('c1', { wrapUpMs: 10_000 });
    // c2 is at the head now: the agent is reserved for the callback
    const reservations: string[] = [];
    const off = acd.onReservation((r) => reservations.push(`${r.callId}:${r.kind}:${r.callbackNumber ?? ''}`));
    try {
      await acd.endWrapUp('a1');
    } finally {
      off();
    }
    expect(reservations).toEqual(['c2:callback:+48601000111']);
    const types = (await h.events(acd)).filter((e) => e.type !== 'agent_state' && 'callId' in e && e.callId === 'c2').map((e) => e.type);
    expect(types).toEqual(['call_enqueued', 'callback_requested', 'call_reserved']);
    expect((await acd.stats('sales')).callbacksWaiting).toBe(0);
    // a callback request cannot be requested twice or for a call that is not waiting
    await expect(acd.requestCallback('c2', '+48601000111')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });

  it('publishes events live on pub/sub as well as in the stream', async () => {
    const subscriber = h.connect();
    const seen: string[] = [];
    const unsubscribe = await subscribeAcdEvents(subscriber, acd.keys, (e) => seen.push(e.type));
    try {
      await acd.enqueue({ callId: 'c1', queueId: 'sales' });
      await acd.abandon('c1');
      await eventually(() => seen.length, (n) => n >= 2, 500, 10);
    } finally {
      await unsubscribe();
      subscriber.disconnect();
    }
    expect(seen).toEqual(['call_enqueued', 'call_abandoned']);
    expect(subscriber.listenerCount('message')).toBe(0);
  });
});
