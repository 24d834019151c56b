import type { Acd, MatchStage } from '../../../src/acd';
import { ofType, operator, useAcdHarness } from './acd-harness';

describe('ACD reservations, preferred targets, ring-no-answer and overflow (real Redis)', () => {
  let acd: Acd;
  const h = useAcdHarness(async (fresh) => {
    acd = fresh;
    await acd.defineQueue({ id: 'sales', ringTimeoutMs: 15_000, reserveTimeoutMs: 3_000 });
  });

  async function line(): Promise<string[]> {
    return acd.waitingCalls('sales');
  }

  it('ring-no-answer: agent not_ready(missed_call), caller back at the same position', async () => {
    for (const id of ['c1', 'c2', 'c3']) {
      await acd.enqueue({ callId: id, queueId: 'sales' });
      h.clock.advance(1000);
    }
    await acd.upsertAgent(operator('a1'));
    const score = (await acd.getCall('c1'))?.score;
    await acd.transition('a1', 'ready');
    expect(await line()).toEqual(['c2', 'c3']);
    await acd.markOffered('c1', 'a1');
    const { position } = await acd.ringNoAnswer('c1', 'a1');
    expect(position).toBe(1);
    expect(await line()).toEqual(['c1', 'c2', 'c3']);
    expect((await acd.getCall('c1'))?.score).toBe(score);
    expect(await acd.getAgent('a1')).toMatchObject({ state: 'not_ready', reason: 'missed_call' });
    const released = ofType(await h.events(acd), 'call_released');
    expect(released).toEqual([expect.objectContaining({ callId: 'c1', reason: 'ring_no_answer', agentId: 'a1' })]);
  });

  it('an agent with no phone to ring: not_ready(unreachable), told apart from a missed call; the caller keeps the same place', async () => {
    for (const id of ['c1', 'c2']) {
      await acd.enqueue({ callId: id, queueId: 'sales' });
      h.clock.advance(1000);
    }
    await acd.upsertAgent(operator('a1'));
    await acd.transition('a1', 'ready');
    const { position } = await acd.ringNoAnswer('c1', 'a1', 'switchboard', { unreachable: true });
    expect(position).toBe(1);
    expect(await line()).toEqual(['c1', 'c2']);
    expect(await acd.getAgent('a1')).toMatchObject({ state: 'not_ready', reason: 'unreachable' });
  });

  it('an offered call left ringing past the ring timeout is treated as ring-no-answer by housekeeping', async () => {
    await acd.upsertAgent(operator('a1'));
    await acd.upsertAgent(operator('a2'));
    await acd.transition('a1', 'ready');
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    const { deadline } = await acd.markOffered('c1', 'a1');
    expect(deadline).toBe(h.clock.now() + 15_000);
    await acd.transition('a2', 'ready');
    h.clock.advance(14_999);
    expect((await acd.tick()).expired).toBe(0);
    h.clock.advance(1);
    const result = await acd.tick();
    expect(result.expired).toBe(1);
    // back in line and straight to the other ready agent
    expect(result.reservations.map((r) => [r.callId, r.agentId])).toEqual([['c1', 'a2']]);
    expect((await acd.getAgent('a1'))?.reason).toBe('missed_call');
  });

  it('an unconfirmed reservation is released at its deadline and the call goes back to its place', async () => {
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    h.clock.advance(10);
    await acd.enqueue({ callId: 'c2', queueId: 'sales' });
    await acd.upsertAgent(operator('a1'));
    await acd.transition('a1', 'ready'); // reserved for c1, never offered
    h.clock.advance(3_000);
    await acd.tick();
    expect(await line()).toEqual(['c1', 'c2']);
    // the holder is alive but never rang the phone: the agent is parked, not re-offered in a loop
    expect(await acd.getAgent('a1')).toMatchObject({ state: 'not_ready', reason: 'unreachable' });
    expect(ofType(await h.events(acd), 'call_released').map((e) => e.reason)).toEqual(['reservation_expired']);
    // answering a released reservation is refused
    await expect(acd.answer('c1', 'a1')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });

  it('one call never goes to two agents and one agent never gets two calls', async () => {
    await acd.upsertAgent(operator('a1'));
    await acd.upsertAgent(operator('a2'));
    await acd.transition('a1', 'ready');
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    await acd.enqueue({ callId: 'c2', queueId: 'sales' });
    expect((await acd.getAgent('a1'))?.callId).toBe('c1');
    await expect(acd.answer('c1', 'a2')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(acd.answer('c2', 'a1')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await acd.transition('a2', 'ready');
    expect((await acd.getAgent('a2'))?.callId).toBe('c2');
  });

  it('rings a named person for N seconds, then falls through the chain, keeping the caller’s place', async () => {
    await acd.defineQueue({ id: 'keys' });
    await acd.upsertAgent(operator('manager', { kind: 'key_account_manager', queues: [], department: 'wholesale' }));
    await acd.upsertAgent(operator('other-kam', { kind: 'key_account_manager', queues: [], department: 'wholesale' }));
    await acd.upsertAgent(operator('head', { kind: 'department_head', queues: [], department: 'wholesale' }));
    const chain: MatchStage[] = [
      { afterMs: 0, scope: { type: 'agents', agentIds: ['manager'] }, ringMs: 20_000 },
      { afterMs: 20_000, scope: { type: 'kind', kind: 'key_account_manager' } },
      { afterMs: 40_000, scope: { type: 'agents', agentIds: ['head'] } },
    ];
    await acd.transition('manager', 'ready');
    await acd.transition('other-kam', 'not_ready', { reason: 'lunch' });
    const first = await acd.enqueue({ callId: 'k1', queueId: 'keys', priority: 9, stages: chain });
    expect(first.reservations[0]).toMatchObject({ agentId: 'manager', ringMs: 20_000 });
    await acd.markOffered('k1', 'manager');
    h.clock.advance(20_000);
    await acd.tick(); // the manager let it ring: on to stage 2 at once
    expect(await acd.getAgent('manager')).toMatchObject({ state: 'not_ready', reason: 'missed_call' });
    expect((await acd.getCall('k1'))?.stageIndex).toBe(1);
    // no other key-account manager free: after 40 s in line, the department head
    await acd.transition('head', 'ready');
    expect((await acd.getAgent('head'))?.state).toBe('ready');
    h.clock.advance(19_999);
    expect((await acd.tick()).reservations).toEqual([]);
    h.clock.advance(1);
    expect((await acd.tick()).reservations.map((r) => r.agentId)).toEqual(['head']);
    // the caller kept their original time in line throughout
    expect(await acd.answer('k1', 'head')).toEqual({ waitMs: 40_000 });
  });

  it('a named person who is busy is waited for, then another person of the kind takes the call', async () => {
    await acd.defineQueue({ id: 'keys' });
    await acd.upsertAgent(operator('manager', { kind: 'key_account_manager', queues: [] }));
    await acd.upsertAgent(operator('other-kam', { kind: 'key_account_manager', queues: [] }));
    const chain: MatchStage[] = [
      { afterMs: 0, scope: { type: 'agents', agentIds: ['manager'] } },
      { afterMs: 15_000, scope: { type: 'kind', kind: 'key_account_manager' } },
    ];
    await acd.transition('other-kam', 'ready');
    expect((await acd.enqueue({ callId: 'k1', queueId: 'keys', stages: chain })).outcome).toBe('queued');
    h.clock.advance(15_000);
    expect((await acd.tick()).reservations.map((r) => r.agentId)).toEqual(['other-kam']);
  });

  it('a named person becoming ready picks up the call that waits for them', async () => {
    await acd.defineQueue({ id: 'keys' });
    await acd.upsertAgent(operator('manager', { kind: 'key_account_manager', queues: [] }));
    await acd.enqueue({ callId: 'k1', queueId: 'keys', stages: [{ afterMs: 0, scope: { type: 'agents', agentIds: ['manager'] } }] });
    const { reservations } = await acd.transition('manager', 'ready');
    expect(reservations.map((r) => r.callId)).toEqual(['k1']);
  });

  it('max wait overflows to another queue, keeping seniority there', async () => {
    await acd.defineQueue({ id: 'sales', maxWaitMs: 60_000, overflow: { type: 'queue', queueId: 'backup' } });
    await acd.defineQueue({ id: 'backup' });
    await acd.enqueue({ callId: 'old', queueId: 'sales' });
    h.clock.advance(30_000);
    await acd.enqueue({ callId: 'b1', queueId: 'backup' });
    h.clock.advance(30_000);
    const tick = await acd.tick();
    expect(tick.overflowed).toBe(1);
    expect(await acd.waitingCalls('sales')).toEqual([]);
    // arrived earlier than b1, so it is ahead of b1 in the backup queue
    expect(await acd.waitingCalls('backup')).toEqual(['old', 'b1']);
    const [event] = ofType(await h.events(acd), 'call_overflowed');
    expect(event).toMatchObject({ callId: 'old', fromQueue: 'sales', queueId: 'backup', target: 'queue', reason: 'max_wait' });
    expect((await acd.stats('sales')).today.overflowed).toBe(1);
    expect((await acd.stats('backup')).today.offered).toBe(2);
  });

  it('max wait overflows to a person, to a callback at the same place, or to voicemail', async () => {
    await acd.upsertAgent(operator('head', { kind: 'department_head', queues: [] }));
    await acd.defineQueue({ id: 'q-agent', maxWaitMs: 1000, overflow: { type: 'agent', agentId: 'head' } });
    await acd.defineQueue({ id: 'q-cb', maxWaitMs: 1000, overflow: { type: 'callback' } });
    await acd.defineQueue({ id: 'q-vm', maxWaitMs: 1000, overflow: { type: 'voicemail' } });
    await acd.enqueue({ callId: 'to-head', queueId: 'q-agent' });
    await acd.enqueue({ callId: 'to-cb', queueId: 'q-cb', callerNumber: '+40211234567' });
    await acd.enqueue({ callId: 'cb-2', queueId: 'q-cb' });
    await acd.enqueue({ callId: 'to-vm', queueId: 'q-vm' });
    h.clock.advance(1000);
    await acd.tick();
    expect(await acd.getCall('to-cb')).toMatchObject({ kind: 'callback', callbackNumber: '+40211234567', state: 'waiting' });
    expect(await acd.waitingCalls('q-cb')).toEqual(['to-cb']);
    // no caller number to call back: the caller is sent to voicemail instead
    expect((await acd.getCall('cb-2'))?.state).toBe('overflowed');
    expect((await acd.getCall('to-vm'))?.state).toBe('overflowed');
    expect(await acd.waitingCalls('q-vm')).toEqual([]);
    const { reservations } = await acd.transition('head', 'ready');
    expect(reservations.map((r) => r.callId)).toEqual(['to-head']);
  });

  it('empty-queue policy: wait, overflow at once, or offer a callback', async () => {
    await acd.defineQueue({ id: 'q-wait' });
    await acd.defineQueue({ id: 'q-over', emptyPolicy: 'overflow', overflow: { type: 'queue', queueId: 'q-wait' } });
    await acd.defineQueue({ id: 'q-cb', emptyPolicy: 'callback' });
    expect((await acd.enqueue({ callId: 'w', queueId: 'q-wait' })).outcome).toBe('queued');
    h.clock.advance(1);
    const over = await acd.enqueue({ callId: 'o', queueId: 'q-over' });
    expect(over).toMatchObject({ outcome: 'overflowed', queueId: 'q-wait', position: 2 });
    expect((await acd.enqueue({ callId: 'c', queueId: 'q-cb', callerNumber: '+48221234567' })).outcome).toBe('callback');
    // once somebody serving the queue is logged in (even not ready), calls wait normally
    await acd.upsertAgent(operator('a1', { queues: ['q-over'] }));
    await acd.transition('a1', 'not_ready', { reason: 'break' });
    expect((await acd.enqueue({ callId: 'o2', queueId: 'q-over' })).outcome).toBe('queued');
  });
});
