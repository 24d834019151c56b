import { auditAssignments, type Acd } from '../../../src/acd';
import { AcdHarness, ofType, operator } from './acd-harness';
import { WorkerProcess } from './worker-process';
import { eventually, quietPeriod } from '../../helpers/eventually';

async function assertNothingHeld(h: AcdHarness, acd: Acd, agents: string[]): Promise<void> {
  for (const id of agents) {
    const agent = await acd.getAgent(id);
    expect(['reserved', 'on_call']).not.toContain(agent?.state);
  }
  expect(await h.redis.zcard(acd.keys.get('reservations'))).toBe(0);
  const heldKeys = await h.redis.keys(`${acd.keys.prefix}node:*:held`);
  expect(heldKeys).toEqual([]);
}

describe('ACD with several real processes on one Redis', () => {
  let h: AcdHarness;

  beforeAll(async () => {
    h = await AcdHarness.start();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.reset();
  });

  it('three processes hammering: every call assigned at most once, every agent holds at most one call, nothing left reserved', async () => {
    const admin = await h.acd({ nodeId: 'admin' });
    await admin.defineQueue({ id: 'sales', wrapUpMs: 0 });
    const agents = Array.from({ length: 25 }, (_, i) => `agent-${i}`);
    for (const id of agents) await admin.upsertAgent(operator(id));
    const workers = [1, 2, 3].map(
      (n) => new WorkerProcess({ mode: 'hammer', port: h.port, nodeId: `worker-${n}`, seed: n * 7919, ops: 1500, agents, queueId: 'sales' }),
    );
    try {
      const reports = await Promise.all(workers.map((w) => w.message('done', 90_000)));
      const exits = await Promise.all(workers.map((w) => w.exited));
      expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
      const totals = reports.map((r) => r.done as Record<string, number>);
      const enqueued = totals.reduce((n, t) => n + (t.enqueued ?? 0), 0);
      const answeredByWorkers = totals.reduce((n, t) => n + (t.answered ?? 0), 0);
      // enough real contention happened for the test to mean something
      expect(enqueued).toBeGreaterThan(1000);
      expect(answeredByWorkers).toBeGreaterThan(200);

      const events = await h.events(admin);
      // the checker is proven to catch each broken rule in test/unit/acd/assignment-audit.test.ts
      const { reservations, answers, violations } = auditAssignments(events);
      expect(violations).toEqual([]);
      expect(reservations).toBeGreaterThan(answers);
      expect(answers).toBeGreaterThanOrEqual(answeredByWorkers);
      await admin.tick();
      await assertNothingHeld(h, admin, agents);
      // the workers left gracefully (the idle admin node, which stopped heartbeating, may have been reaped)
      const workerExits = ofType(events, 'node_died').filter((e) => e.deadNode.startsWith('worker-'));
      expect(workerExits.map((e) => e.reason)).toEqual(['stopped', 'stopped', 'stopped']);
    } finally {
      await Promise.all(workers.map((w) => w.kill()));
    }
  }, 120_000);

  it('a process SIGKILLed while holding reservations: survivors release them within seconds and callback requests keep their places', async () => {
    const survivor = await h.acd({ nodeId: 'survivor', clock: { now: () => Date.now() }, settings: { heartbeatTtlMs: 1000, heartbeatIntervalMs: 200 } });
    await survivor.defineQueue({ id: 'sales' });
    await survivor.defineQueue({ id: 'elsewhere' });
    const agents = ['a1', 'a2', 'a3'];
    for (const id of agents) await survivor.upsertAgent(operator(id));
    const calls = ['c1', 'c2', 'c3', 'c4', 'c5'];
    // Callback requests: no process holds a leg of theirs, so whichever process matched one holds it and dials it.
    for (const id of calls) {
      await survivor.enqueueCallback({ callId: id, queueId: 'sales', number: '+74951234567' });
      await quietPeriod(2, 'distinct enqueue times, so that the line order is defined');
    }
    const scores = await Promise.all(calls.map(async (id) => (await survivor.getCall(id))?.score));
    const doomed = new WorkerProcess({ mode: 'hold', port: h.port, nodeId: 'doomed', seed: 1, ops: 0, agents, queueId: 'sales' });
    try {
      const holding = await doomed.message('holding', 30_000);
      expect(holding.reservations).toEqual([['c1', 'a1'], ['c2', 'a2'], ['c3', 'a3']]);
      expect(await survivor.waitingCalls('sales')).toEqual(['c4', 'c5']);
      expect((await survivor.getCall('c1'))?.state).toBe('offered');

      await doomed.kill('SIGKILL');
      const killedAt = Date.now();
      // the survivor heartbeats and reaps, as its housekeeping loop would
      let released = false;
      while (!released && Date.now() - killedAt < 10_000) {
        await survivor.heartbeat();
        released = (await survivor.reap()).reaped > 0;
        if (!released) await quietPeriod(100, 'the pace of heartbeat-and-reap attempts');
      }
      const tookMs = Date.now() - killedAt;
      expect(released).toBe(true);
      expect(tookMs).toBeLessThan(5_000);

      // callers keep their places, with their original scores
      expect(await survivor.waitingCalls('sales')).toEqual(calls);
      expect(await Promise.all(calls.map(async (id) => (await survivor.getCall(id))?.score))).toEqual(scores);
      // no agent stuck: released to ready (it was not their fault)
      for (const id of agents) expect((await survivor.getAgent(id))?.state).toBe('ready');
      // the dead process's own caller is recorded as lost
      expect((await survivor.getCall('doomed-own-call'))?.state).toBe('lost');
      const events = await h.events(survivor);
      expect(ofType(events, 'node_died')).toEqual([expect.objectContaining({ deadNode: 'doomed', reason: 'heartbeat_expired', released: 3, lost: 1 })]);
      expect(ofType(events, 'call_released').map((e) => [e.callId, e.reason]).sort()).toEqual([
        ['c1', 'holder_died'], ['c2', 'holder_died'], ['c3', 'holder_died'],
      ]);
      expect(auditAssignments(events).violations).toEqual([]);

      // the survivor's housekeeping then serves them in order
      const { reservations } = await survivor.tick();
      expect(reservations.map((r) => r.callId).sort()).toEqual(['c1', 'c2', 'c3']);
      expect(reservations.every((r) => r.holder === 'survivor')).toBe(true);
      expect(await survivor.waitingCalls('sales')).toEqual(['c4', 'c5']);
    } finally {
      await doomed.kill();
    }
  }, 60_000);

  it('an agent made ready through one process for a caller another holds: the caller\'s process holds the reservation and is handed it', async () => {
    const a = await h.acd({ nodeId: 'proc-a', settings: { heartbeatTtlMs: 300, heartbeatIntervalMs: 100 } });
    const b = await h.acd({ nodeId: 'proc-b', settings: { heartbeatTtlMs: 300, heartbeatIntervalMs: 100 } });
    await a.defineQueue({ id: 'sales' });
    await a.upsertAgent(operator('a1'));
    // b holds the caller's leg and listens for what others match for its callers (start()).
    await b.start();
    const handedToB: string[] = [];
    const handedToA: string[] = [];
    b.onReservation((r) => handedToB.push(`${r.callId}→${r.agentId}`));
    a.onReservation((r) => handedToA.push(`${r.callId}→${r.agentId}`));
    try {
      await b.enqueue({ callId: 'c1', queueId: 'sales' });
      const made = await a.transition('a1', 'ready');
      // a's run made the match, but only b can ring the agent for its caller: a keeps nothing of it.
      expect(made.reservations).toEqual([]);
      expect((await a.getCall('c1'))?.holder).toBe('proc-b');
      await eventually(() => handedToB, (got) => got.length === 1, 5_000, 20);
      expect(handedToB).toEqual(['c1→a1']);
      expect(handedToA).toEqual([]);
      // a leaving gives nothing back (it held nothing): the reservation stays b's.
      await a.stop({ leave: true });
      expect((await b.getCall('c1'))?.state).toBe('reserved');
      // b stalls past its TTL; a live process reaps it; b's caller is lost and the agent is free again.
      await b.stop({ leave: false });
      await quietPeriod(400, 'b stalls past its heartbeat TTL');
      const c = await h.acd({ nodeId: 'proc-c' });
      expect((await c.reap()).reaped).toBe(1);
      expect((await c.getCall('c1'))?.state).toBe('lost');
      expect((await c.getAgent('a1'))?.state).toBe('ready');
    } finally {
      await b.stop({ leave: false }).catch(() => undefined);
    }
  });

  it('start() heartbeats and runs housekeeping on its own until stop()', async () => {
    const acd = await h.acd({ nodeId: 'looping', clock: { now: () => Date.now() }, settings: { tickIntervalMs: 20, heartbeatIntervalMs: 100, heartbeatTtlMs: 500 } });
    await acd.defineQueue({ id: 'sales', reserveTimeoutMs: 50 });
    await acd.upsertAgent(operator('a1'));
    await acd.start();
    try {
      await acd.transition('a1', 'ready');
      await acd.enqueue({ callId: 'c1', queueId: 'sales' });
      // never confirmed: the loop releases it after 50 ms
      await eventually(() => acd.getCall('c1'), (c) => c?.state === 'waiting', 3000, 20);
      expect((await acd.getCall('c1'))?.state).toBe('waiting');
      expect(await h.redis.pttl(acd.keys.get('node', 'looping'))).toBeGreaterThan(0);
    } finally {
      await acd.stop();
    }
    expect(await h.redis.exists(acd.keys.get('node', 'looping'))).toBe(0);
  });
});
