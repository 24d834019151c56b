import { AppError } from '../../../src/errors/app-error';
import type { Acd } from '../../../src/acd';
import { ofType, operator, useAcdHarness } from './acd-harness';

describe('ACD agent state machine (real Redis)', () => {
  let acd: Acd;
  const h = useAcdHarness(async (fresh) => {
    acd = fresh;
    await acd.defineQueue({ id: 'sales', wrapUpMs: 30_000 });
    await acd.upsertAgent(operator('a1'));
  });

  async function expectRefused(p: Promise<unknown>, code: string, text: RegExp): Promise<void> {
    const err: unknown = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    expect((err as AppError).message).toMatch(text);
  }

  it('starts logged out and emits one event per transition with who, from, to, reason and time', async () => {
    expect((await acd.getAgent('a1'))?.state).toBe('logged_out');
    await acd.transition('a1', 'ready', { by: 'a1' });
    h.clock.advance(5000);
    await acd.transition('a1', 'not_ready', { reason: 'lunch', by: 'supervisor-7' });
    const events = ofType(await h.events(acd), 'agent_state');
    expect(events.map((e) => [e.agentId, e.from, e.to, e.reason ?? null, e.by, e.ts])).toEqual([
      ['a1', 'logged_out', 'ready', null, 'a1', h.clock.now() - 5000],
      ['a1', 'ready', 'not_ready', 'lunch', 'supervisor-7', h.clock.now()],
    ]);
    const agent = await acd.getAgent('a1');
    expect(agent).toMatchObject({ state: 'not_ready', reason: 'lunch', since: h.clock.now() });
  });

  it('refuses illegal transitions with ILLEGAL_TRANSITION and changes nothing', async () => {
    await acd.transition('a1', 'not_ready', { reason: 'break' });
    const before = await h.events(acd);
    // logged_out → logged_out is not in the table; not_ready → wrap_up is ACD-only
    await acd.transition('a1', 'logged_out');
    await expectRefused(acd.transition('a1', 'logged_out'), 'ILLEGAL_TRANSITION', /logged_out -> logged_out/);
    await expectRefused(acd.endWrapUp('a1'), 'ILLEGAL_TRANSITION', /not wrap_up/);
    await expectRefused(acd.extendWrapUp('a1', 10_000), 'ILLEGAL_TRANSITION', /not wrap_up/);
    // @ts-expect-error on_call is entered by the ACD only
    await expectRefused(acd.transition('a1', 'on_call'), 'ILLEGAL_TRANSITION', /ACD only/);
    expect((await h.events(acd)).length).toBe(before.length + 1);
    expect((await acd.getAgent('a1'))?.state).toBe('logged_out');
  });

  it('requires a reason code for not_ready and accepts admin-defined codes', async () => {
    await expectRefused(acd.transition('a1', 'not_ready'), 'VALIDATION_FAILED', /reason/);
    await acd.transition('a1', 'not_ready', { reason: 'coaching_session' });
    expect((await acd.getAgent('a1'))?.reason).toBe('coaching_session');
    await acd.transition('a1', 'not_ready', { reason: 'training' });
    expect((await acd.getAgent('a1'))?.reason).toBe('training');
  });

  it('refuses unknown agents with NOT_FOUND', async () => {
    await expectRefused(acd.transition('nobody', 'ready'), 'NOT_FOUND', /no agent nobody/);
  });

  it('goes ready → reserved → on_call → wrap_up → ready on the wrap-up timer', async () => {
    await acd.transition('a1', 'ready');
    const { reservations } = await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    expect(reservations).toEqual([expect.objectContaining({ callId: 'c1', agentId: 'a1' })]);
    expect((await acd.getAgent('a1'))?.state).toBe('reserved');
    // on_call only through answer(): a reserved agent cannot go logged_out
    await expectRefused(acd.transition('a1', 'logged_out'), 'ILLEGAL_TRANSITION', /reserved -> logged_out/);
    await acd.answer('c1', 'a1');
    expect((await acd.getAgent('a1'))?.state).toBe('on_call');
    await expectRefused(acd.transition('a1', 'ready'), 'ILLEGAL_TRANSITION', /on_call -> ready/);
    h.clock.advance(45_000);
    await acd.hangUp('c1');
    const wrapping = await acd.getAgent('a1');
    expect(wrapping).toMatchObject({ state: 'wrap_up', wrapUntil: h.clock.now() + 30_000 });
    h.clock.advance(29_999);
    await acd.tick();
    expect((await acd.getAgent('a1'))?.state).toBe('wrap_up');
    h.clock.advance(1);
    await acd.tick();
    expect((await acd.getAgent('a1'))).toMatchObject({ state: 'ready', reason: 'wrap_up_timer' });
  });

  it('ends wrap-up early, and extends it once only', async () => {
    await acd.transition('a1', 'ready');
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    await acd.answer('c1', 'a1');
    await acd.hangUp('c1');
    const startedAt = h.clock.now();
    const { wrapUntil } = await acd.extendWrapUp('a1', 60_000);
    expect(wrapUntil).toBe(startedAt + 90_000);
    await expectRefused(acd.extendWrapUp('a1', 60_000), 'ILLEGAL_TRANSITION', /already extended once/);
    h.clock.advance(31_000);
    await acd.tick();
    expect((await acd.getAgent('a1'))?.state).toBe('wrap_up');
    await acd.endWrapUp('a1');
    expect((await acd.getAgent('a1'))?.state).toBe('ready');
    const reasons = ofType(await h.events(acd), 'agent_state').filter((e) => e.from === 'wrap_up').map((e) => [e.to, e.reason]);
    expect(reasons).toEqual([['wrap_up', 'extended'], ['ready', 'wrap_up_ended']]);
    // the next wrap-up may be extended again
    await acd.enqueue({ callId: 'c2', queueId: 'sales' });
    await acd.answer('c2', 'a1');
    await acd.hangUp('c2');
    await expect(acd.extendWrapUp('a1', 1000)).resolves.toBeDefined();
  });

  it('takes a person on a direct call out of the pool: no queue call is offered to them until it ends, then they are ready (and get the waiting caller)', async () => {
    await acd.transition('a1', 'ready');
    await expect(acd.beginDirectCall('a1', 'd1')).resolves.toEqual({ occupied: true });
    expect(await acd.getAgent('a1')).toMatchObject({ state: 'not_ready', reason: 'direct_call' });
    // A caller arriving meanwhile waits.
    const { reservations } = await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    expect(reservations).toEqual([]);
    await expect(acd.endDirectCall('a1', 'd1')).resolves.toBe(true);
    expect(await acd.getAgent('a1')).toMatchObject({ state: 'reserved' });
    const moves = ofType(await h.events(acd), 'agent_state').filter((e) => e.by === 'direct:d1').map((e) => [e.from, e.to, e.reason]);
    expect(moves).toEqual([['ready', 'not_ready', 'direct_call'], ['not_ready', 'ready', 'direct_call_ended']]);
  });

  it('a direct call leaves a not-ready person as they are, ends a wrap-up, is refused while a queue call rings them, and never undoes a state they chose meanwhile', async () => {
    await acd.transition('a1', 'not_ready', { reason: 'lunch' });
    await expect(acd.beginDirectCall('a1', 'd1')).resolves.toEqual({ occupied: false });
    expect(await acd.getAgent('a1')).toMatchObject({ state: 'not_ready', reason: 'lunch' });
    await expect(acd.endDirectCall('a1', 'd1')).resolves.toBe(false);
    expect(await acd.getAgent('a1')).toMatchObject({ state: 'not_ready', reason: 'lunch' });

    await acd.transition('a1', 'ready');
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    await expectRefused(acd.beginDirectCall('a1', 'd2'), 'ILLEGAL_TRANSITION', /queue call ringing/);
    await acd.answer('c1', 'a1');
    await expectRefused(acd.beginDirectCall('a1', 'd2'), 'ILLEGAL_TRANSITION', /queue call in progress/);
    await acd.hangUp('c1');
    await expect(acd.beginDirectCall('a1', 'd3')).resolves.toEqual({ occupied: true });
    expect(await acd.getAgent('a1')).toMatchObject({ state: 'not_ready', reason: 'direct_call' });
    // They go on a break during the call: its end leaves the break alone.
    await acd.transition('a1', 'not_ready', { reason: 'break' });
    await expect(acd.endDirectCall('a1', 'd3')).resolves.toBe(false);
    expect(await acd.getAgent('a1')).toMatchObject({ state: 'not_ready', reason: 'break' });
    await expect(acd.beginDirectCall('nobody', 'd4')).resolves.toEqual({ occupied: false });
  });

  it('uses the agent wrap-up override, and zero wrap-up goes straight to ready', async () => {
    await acd.upsertAgent(operator('a1', { wrapUpMs: 0 }));
    await acd.transition('a1', 'ready');
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    await acd.enqueue({ callId: 'c2', queueId: 'sales' });
    await acd.answer('c1', 'a1');
    const { reservations } = await acd.hangUp('c1');
    // ready again at once, and the waiting caller is reserved in the same step
    expect(reservations.map((r) => r.callId)).toEqual(['c2']);
    expect((await acd.getAgent('a1'))?.state).toBe('reserved');
  });

  it('keeps per-queue agent state counts in step with transitions and profile changes', async () => {
    await acd.upsertAgent(operator('a2', { queues: ['sales', 'service'] }));
    await acd.transition('a1', 'ready');
    await acd.transition('a2', 'not_ready', { reason: 'break' });
    const sales = await acd.stats('sales');
    expect(sales.agentsByState).toMatchObject({ ready: 1, not_ready: 1, logged_out: 0 });
    await acd.upsertAgent(operator('a2', { queues: ['service'] }));
    expect((await acd.stats('sales')).agentsByState).toMatchObject({ ready: 1, not_ready: 0 });
    await acd.defineQueue({ id: 'service' });
    expect((await acd.stats('service')).agentsByState).toMatchObject({ not_ready: 1 });
  });
});
