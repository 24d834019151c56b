import type { Acd } from '../../../src/acd';
import { ofType, operator, useAcdHarness } from './acd-harness';

describe('ACD overflow to a named person: their ring time, then the fallback step (real Redis)', () => {
  let acd: Acd;
  const h = useAcdHarness(async (fresh) => {
    acd = fresh;
    await acd.upsertAgent(operator('head', { kind: 'department_head', queues: [] }));
    await acd.defineQueue({ id: 'backup' });
  });

  it('a person who never becomes free: after their ring time the caller becomes a callback request at the same place', async () => {
    await acd.defineQueue({ id: 'sales', maxWaitMs: 60_000, overflow: { type: 'agent', agentId: 'head', ringMs: 15_000 } });
    await acd.enqueue({ callId: 'c1', queueId: 'sales', callerNumber: '+74951234567' });
    const score = (await acd.getCall('c1'))?.score;
    h.clock.advance(60_000);
    expect((await acd.tick()).overflowed).toBe(1);
    expect(await acd.getCall('c1')).toMatchObject({ state: 'waiting', kind: 'call', queueId: 'sales' });
    h.clock.advance(14_999);
    expect((await acd.tick()).overflowed).toBe(0);
    h.clock.advance(1);
    expect((await acd.tick()).overflowed).toBe(1);
    expect(await acd.getCall('c1')).toMatchObject({ state: 'waiting', kind: 'callback', callbackNumber: '+74951234567', score });
    expect(await acd.waitingCalls('sales')).toEqual(['c1']);
    const overflows = ofType(await h.events(acd), 'call_overflowed');
    expect(overflows.map((e) => [e.reason, e.target, e.targetId])).toEqual([
      ['max_wait', 'agent', 'head'], ['target_timeout', 'callback', undefined],
    ]);
    expect(overflows[0]?.ringMs).toBe(15_000);
    // counted once as an overflow, and as a callback request
    const { today } = await acd.stats('sales');
    expect(today.overflowed).toBe(1);
    expect(today.callbacks.requested).toBe(1);
    // the callback is the queue's to place now: the head becoming ready does not take it, an operator does
    expect((await acd.transition('head', 'ready')).reservations).toEqual([]);
    await acd.upsertAgent(operator('op1'));
    expect((await acd.transition('op1', 'ready')).reservations.map((r) => [r.callId, r.kind])).toEqual([['c1', 'callback']]);
  });

  it('a person who lets it ring: on to the fallback queue at once, keeping seniority; the person is set not ready', async () => {
    await acd.defineQueue({
      id: 'sales', maxWaitMs: 30_000, ringTimeoutMs: 12_000,
      overflow: { type: 'agent', agentId: 'head', then: { type: 'queue', queueId: 'backup' } },
    });
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    h.clock.advance(10_000);
    await acd.enqueue({ callId: 'b1', queueId: 'backup' });
    await acd.transition('head', 'ready');
    h.clock.advance(20_000);
    const { reservations } = await acd.tick();
    // default ring time: the queue's ring timeout
    expect(reservations.map((r) => [r.callId, r.agentId, r.ringMs])).toEqual([['c1', 'head', 12_000]]);
    await acd.markOffered('c1', 'head');
    h.clock.advance(5_000);
    await acd.ringNoAnswer('c1', 'head');
    expect(await acd.waitingCalls('sales')).toEqual([]);
    expect(await acd.waitingCalls('backup')).toEqual(['c1', 'b1']);
    expect(await acd.getAgent('head')).toMatchObject({ state: 'not_ready', reason: 'missed_call' });
    expect(ofType(await h.events(acd), 'call_overflowed').map((e) => [e.reason, e.target, e.targetId])).toEqual([
      ['max_wait', 'agent', 'head'], ['target_timeout', 'queue', 'backup'],
    ]);
  });

  it('without a number to call back, the fallback is voicemail', async () => {
    await acd.defineQueue({ id: 'sales', maxWaitMs: 1000, overflow: { type: 'agent', agentId: 'head', ringMs: 5000 } });
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    h.clock.advance(1000);
    await acd.tick();
    h.clock.advance(5000);
    await acd.tick();
    expect((await acd.getCall('c1'))?.state).toBe('overflowed');
    expect(await acd.waitingCalls('sales')).toEqual([]);
  });

  it('a person who answers in time takes the call as before', async () => {
    await acd.defineQueue({ id: 'sales', maxWaitMs: 1000, overflow: { type: 'agent', agentId: 'head', ringMs: 5000 } });
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    h.clock.advance(1000);
    await acd.tick();
    h.clock.advance(4000);
    expect((await acd.transition('head', 'ready')).reservations.map((r) => r.callId)).toEqual(['c1']);
    await acd.markOffered('c1', 'head');
    h.clock.advance(3000); // past the 5 s from the overflow, but ringing: the ring decides
    expect((await acd.tick()).overflowed).toBe(0);
    expect(await acd.answer('c1', 'head')).toEqual({ waitMs: 8000 });
  });

  it('refuses a fallback to the queue the call overflows from', async () => {
    await expect(
      acd.defineQueue({ id: 'sales', maxWaitMs: 1000, overflow: { type: 'agent', agentId: 'head', then: { type: 'queue', queueId: 'sales' } } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
