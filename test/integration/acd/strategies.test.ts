import type { Acd, MatchStage, RoutingStrategy } from '../../../src/acd';
import { SeededRandom } from '../../helpers/seeded-random';
import { ofType, operator, useAcdHarness } from './acd-harness';

describe('ACD strategies and skills-based matching (real Redis)', () => {
  let acd: Acd;
  let seq = 0;
  const h = useAcdHarness(
    (fresh) => {
      acd = fresh;
    },
    // Seeded alike for every test, so the weighted-random test is reproducible.
    () => {
      const seeded = new SeededRandom(42);
      return { random: () => seeded.next() };
    },
  );

  async function setup(strategy: RoutingStrategy, agents: string[]): Promise<void> {
    await acd.defineQueue({ id: 'sales', strategy, wrapUpMs: 0 });
    for (const id of agents) await acd.upsertAgent(operator(id));
  }

  /** Enqueues one call and returns who got it. */
  async function nextAgent(): Promise<string | undefined> {
    const { reservations } = await acd.enqueue({ callId: `c${++seq}`, queueId: 'sales' });
    return reservations[0]?.agentId;
  }

  /** The agent takes and finishes its call (wrap-up 0: ready again at once). */
  async function serve(agentId: string): Promise<void> {
    const call = (await acd.getAgent(agentId))?.callId;
    if (!call) throw new Error(`${agentId} holds no call`);
    await acd.answer(call, agentId);
    h.clock.advance(1000);
    await acd.hangUp(call);
  }

  it('longest idle (default): the agent ready the longest gets the call', async () => {
    await setup('longest_idle', ['a1', 'a2', 'a3']);
    for (const id of ['a2', 'a3', 'a1']) {
      await acd.transition(id, 'ready');
      h.clock.advance(1000);
    }
    expect(await nextAgent()).toBe('a2');
    await serve('a2'); // a2 is ready again, but now the most recently idle
    expect(await nextAgent()).toBe('a3');
    expect(await nextAgent()).toBe('a1');
    expect(await nextAgent()).toBe('a2');
  });

  it('fewest calls today: the least busy agent, counts restart on a new day', async () => {
    await setup('fewest_calls', ['a1', 'a2', 'a3']);
    // a1 takes two calls, a2 one, a3 none (one at a time)
    for (const [id, calls] of [['a1', 2], ['a2', 1]] as const) {
      await acd.transition(id, 'ready');
      for (let i = 0; i < calls; i++) {
        expect(await nextAgent()).toBe(id);
        await serve(id);
      }
      await acd.transition(id, 'not_ready', { reason: 'break' });
    }
    h.clock.advance(1000);
    await acd.transition('a3', 'ready');
    h.clock.advance(1000);
    await acd.transition('a1', 'ready');
    await acd.transition('a2', 'ready');
    expect((await acd.getAgent('a1'))?.callsToday).toBe(2);
    expect(await nextAgent()).toBe('a3');
    expect(await nextAgent()).toBe('a2');
    expect(await nextAgent()).toBe('a1');
    // next day: everybody starts from zero, ties go to the longest idle
    for (const id of ['a3', 'a2', 'a1']) await serve(id);
    h.clock.advance(24 * 3600_000);
    for (const id of ['a1', 'a2', 'a3']) {
      await acd.transition(id, 'not_ready', { reason: 'break' });
      await acd.transition(id, 'ready');
      h.clock.advance(1000);
    }
    expect(await nextAgent()).toBe('a1');
  });

  it('round robin remembers where it stopped, in Redis (a new process continues the rotation)', async () => {
    await setup('round_robin', ['a1', 'a2', 'a3', 'a4']);
    for (const id of ['a4', 'a3', 'a2', 'a1']) await acd.transition(id, 'ready');
    const got: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const agent = await nextAgent();
      got.push(agent);
      if (agent) await serve(agent);
    }
    acd = await h.acd(); // another process, same Redis
    for (let i = 0; i < 3; i++) {
      const agent = await nextAgent();
      got.push(agent);
      if (agent) await serve(agent);
    }
    expect(got).toEqual(['a1', 'a2', 'a3', 'a4', 'a1', 'a2']);
    // a busy agent is skipped, and the rotation goes on after it
    await acd.transition('a3', 'not_ready', { reason: 'break' });
    expect(await nextAgent()).toBe('a4');
  });

  it('linear: always the first available agent in the configured order', async () => {
    await acd.defineQueue({ id: 'sales', strategy: 'linear', wrapUpMs: 0 });
    await acd.upsertAgent(operator('x', { order: 30 }));
    await acd.upsertAgent(operator('y', { order: 10 }));
    await acd.upsertAgent(operator('z', { order: 20 }));
    for (const id of ['x', 'y', 'z']) await acd.transition(id, 'ready');
    expect(await nextAgent()).toBe('y');
    await serve('y');
    expect(await nextAgent()).toBe('y');
    expect(await nextAgent()).toBe('z');
    expect(await nextAgent()).toBe('x');
  });

  it('weighted random: picks follow the weights', async () => {
    await acd.defineQueue({ id: 'sales', strategy: 'weighted_random', wrapUpMs: 0 });
    await acd.upsertAgent(operator('light', { weight: 1 }));
    await acd.upsertAgent(operator('heavy', { weight: 3 }));
    await acd.transition('light', 'ready');
    await acd.transition('heavy', 'ready');
    const counts: Record<string, number> = { light: 0, heavy: 0 };
    for (let i = 0; i < 400; i++) {
      const agent = await nextAgent();
      if (!agent) throw new Error('no agent');
      counts[agent] = (counts[agent] ?? 0) + 1;
      await acd.abandon(`c${seq}`); // frees the agent again
    }
    expect(counts.heavy! / 400).toBeGreaterThan(0.65);
    expect(counts.heavy! / 400).toBeLessThan(0.85);
  });

  it('relaxes skill requirements with time: level ≥3, after 30 s ≥1, after 60 s anyone of the department', async () => {
    const stages: MatchStage[] = [
      { afterMs: 0, scope: { type: 'queue' }, skills: [{ skill: 'wholesale', minLevel: 3 }] },
      { afterMs: 30_000, scope: { type: 'queue' }, skills: [{ skill: 'wholesale', minLevel: 1 }] },
      { afterMs: 60_000, scope: { type: 'department', department: 'sales-dept' } },
    ];
    await acd.defineQueue({ id: 'sales', stages });
    await acd.upsertAgent(operator('junior', { skills: { wholesale: 1 }, department: 'sales-dept' }));
    await acd.upsertAgent(operator('senior', { skills: { wholesale: 4 }, department: 'sales-dept' }));
    await acd.upsertAgent(operator('helper', { skills: {}, department: 'sales-dept', queues: ['other'] }));
    await acd.upsertAgent(operator('stranger', { skills: {}, department: 'finance-dept', queues: [] }));
    await acd.transition('junior', 'ready');
    await acd.transition('stranger', 'ready');
    expect((await acd.enqueue({ callId: 'c1', queueId: 'sales' })).outcome).toBe('queued');
    h.clock.advance(29_999);
    expect((await acd.tick()).reservations).toEqual([]);
    h.clock.advance(1);
    expect((await acd.tick()).reservations.map((r) => [r.callId, r.agentId])).toEqual([['c1', 'junior']]);
    await acd.answer('c1', 'junior');
    // a senior takes a fresh call at once
    await acd.transition('senior', 'ready');
    expect((await acd.enqueue({ callId: 'c2', queueId: 'sales' })).reservations[0]?.agentId).toBe('senior');
    await acd.answer('c2', 'senior');
    // nobody of the queue free: after 60 s any agent of the department, never another department
    await acd.enqueue({ callId: 'c3', queueId: 'sales' });
    await acd.transition('helper', 'ready');
    h.clock.advance(59_000);
    expect((await acd.tick()).reservations).toEqual([]);
    h.clock.advance(1_000);
    expect((await acd.tick()).reservations.map((r) => [r.callId, r.agentId])).toEqual([['c3', 'helper']]);
    expect(ofType(await h.events(acd), 'call_stage').filter((e) => e.callId === 'c3').map((e) => e.stage)).toEqual([1, 2]);
    expect((await acd.getAgent('stranger'))?.state).toBe('ready');
  });

  it('an agent becoming ready takes the best call it is qualified for, skipping ones it is not', async () => {
    await acd.defineQueue({ id: 'sales' });
    await acd.upsertAgent(operator('pl-speaker', { languages: ['pl'] }));
    await acd.enqueue({ callId: 'ro-1', queueId: 'sales', stages: [{ afterMs: 0, scope: { type: 'queue' }, languages: ['ro'] }] });
    await acd.enqueue({ callId: 'pl-1', queueId: 'sales', stages: [{ afterMs: 0, scope: { type: 'queue' }, languages: ['pl', 'ru'] }] });
    const { reservations } = await acd.transition('pl-speaker', 'ready');
    expect(reservations.map((r) => r.callId)).toEqual(['pl-1']);
    expect(await acd.waitingCalls('sales')).toEqual(['ro-1']);
  });
});
