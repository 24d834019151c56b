import type { Acd } from '../../../src/acd';
import { AcdHarness, operator } from './acd-harness';

describe('ACD live statistics (real Redis)', () => {
  let h: AcdHarness;
  let acd: Acd;

  beforeAll(async () => {
    h = await AcdHarness.start();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.reset();
    acd = await h.acd();
  });

  it('reports offered, answered, abandoned, both service levels, ASA, AHT and abandon rate, today and in the window', async () => {
    const t0 = h.clock.now();
    const at = (s: number): void => h.clock.set(t0 + s * 1000);
    await acd.defineQueue({ id: 'sales', wrapUpMs: 10_000 });
    await acd.upsertAgent(operator('a1'));
    await acd.enqueue({ callId: 'c1', queueId: 'sales' });
    at(10);
    await acd.transition('a1', 'ready');
    await acd.answer('c1', 'a1'); // waited 10 s: within 20 s
    at(40);
    await acd.enqueue({ callId: 'c2', queueId: 'sales' });
    at(60);
    await acd.hangUp('c1'); // talk 50 s
    at(70);
    await acd.tick(); // wrap-up over (10 s): handle 60 s; a1 takes c2
    await acd.answer('c2', 'a1'); // waited 30 s: outside 20 s
    at(140);
    await acd.hangUp('c2'); // talk 70 s
    at(150);
    await acd.tick(); // handle 80 s
    await acd.transition('a1', 'not_ready', { reason: 'break' });
    await acd.enqueue({ callId: 'c3', queueId: 'sales' });
    await acd.enqueue({ callId: 'c4', queueId: 'sales' });
    at(155);
    await acd.abandon('c3'); // a short abandon (5 s)
    at(190);
    await acd.abandon('c4'); // 40 s
    at(200);
    await acd.enqueue({ callId: 'c5', queueId: 'sales' });
    at(230);

    const stats = await acd.stats('sales');
    expect(stats).toMatchObject({ waitingNow: 1, longestWaitMs: 30_000, callbacksWaiting: 0 });
    expect(stats.agentsByState).toEqual({ logged_out: 0, ready: 0, reserved: 0, on_call: 0, wrap_up: 0, not_ready: 1 });
    const expected = {
      offered: 5,
      answered: 2,
      abandoned: 2,
      answeredWithinThreshold: 1,
      serviceLevel: { thresholdMs: 20_000, ignoringAbandons: 0.5, countingAbandons: 0.25 },
      asaMs: 20_000,
      ahtMs: 70_000,
      abandonRate: 0.5,
    };
    expect(stats.today).toMatchObject(expected);
    expect(stats.window).toMatchObject({ ...expected, windowMs: 15 * 60_000 });

    // 20 minutes later the window has moved past all of it; today still holds it
    h.clock.advance(20 * 60_000);
    await acd.enqueue({ callId: 'c6', queueId: 'sales' });
    const later = await acd.stats('sales');
    expect(later.today.offered).toBe(6);
    expect(later.window).toMatchObject({ offered: 1, answered: 0, asaMs: null, ahtMs: null, abandonRate: null });
    expect(later.window.serviceLevel).toEqual({ thresholdMs: 20_000, ignoringAbandons: null, countingAbandons: null });
    // a wider window reaches back again
    expect((await acd.stats('sales', { windowMinutes: 30 })).window.offered).toBe(6);
    // the next day starts from zero
    h.clock.advance(24 * 3600_000);
    expect((await acd.stats('sales')).today.offered).toBe(0);
  });

  it('uses the queue’s own service-level threshold', async () => {
    await acd.defineQueue({ id: 'vip', serviceLevelMs: 5_000 });
    await acd.upsertAgent(operator('a1', { queues: ['vip'] }));
    await acd.enqueue({ callId: 'c1', queueId: 'vip' });
    h.clock.advance(6_000);
    await acd.transition('a1', 'ready');
    await acd.answer('c1', 'a1');
    const stats = await acd.stats('vip');
    expect(stats.today.serviceLevel).toEqual({ thresholdMs: 5_000, ignoringAbandons: 0, countingAbandons: 0 });
  });
});
