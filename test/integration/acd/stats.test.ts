import type { Acd } from '../../../src/acd';
import { operator, useAcdHarness } from './acd-harness';

describe('ACD live statistics (real Redis)', () => {
  let acd: Acd;
  const h = useAcdHarness((fresh) => {
    acd = fresh;
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

  it('a call turned into a callback request has its own outcome: requested, then completed or cancelled', async () => {
    await acd.defineQueue({ id: 'sales', wrapUpMs: 0 });
    for (const id of ['c1', 'c2', 'c3']) {
      await acd.enqueue({ callId: id, queueId: 'sales', callerNumber: '+74951234567' });
      h.clock.advance(1000);
    }
    await acd.requestCallback('c1', '+74951110001');
    await acd.requestCallback('c2', '+74951110002');
    await acd.abandon('c3');
    let today = (await acd.stats('sales')).today;
    expect(today).toMatchObject({ offered: 3, answered: 0, abandoned: 1, callbacks: { requested: 2, completed: 0, cancelled: 0 } });

    await acd.upsertAgent(operator('a1'));
    await acd.transition('a1', 'ready'); // reserved for the callback c1: the callback is placed
    await acd.markOffered('c1', 'a1');
    await acd.answer('c1', 'a1'); // the client picked up
    await acd.hangUp('c1'); // a1 ready again at once (no wrap-up) and reserved for c2
    expect((await acd.getCall('c1'))?.state).toBe('completed');
    expect((await acd.getAgent('a1'))?.callId).toBe('c2');
    await acd.abandon('c2'); // the client could not be reached
    expect((await acd.getCall('c2'))?.state).toBe('abandoned');

    const stats = await acd.stats('sales');
    today = stats.today;
    expect(today.callbacks).toEqual({ requested: 2, completed: 1, cancelled: 1 });
    // callback outcomes are not answers or abandons of the queue's calls: the service level is untouched
    expect(today).toMatchObject({ offered: 3, answered: 0, abandoned: 1, serviceLevel: { ignoringAbandons: null, countingAbandons: 0 } });
    expect(stats.window.callbacks).toEqual({ requested: 2, completed: 1, cancelled: 1 });
    expect(stats.callbacksWaiting).toBe(0);
  });

  it('"today" ends at midnight in the configured time zone (Europe/Moscow by default), not at UTC midnight', async () => {
    await acd.defineQueue({ id: 'sales' });
    await acd.upsertAgent(operator('a1'));
    // 23:59:59.999 in Moscow (UTC+3) on 7 January is 20:59:59.999 UTC
    h.clock.set(Date.UTC(2025, 0, 7, 20, 59, 59, 999));
    await acd.enqueue({ callId: 'late', queueId: 'sales' });
    await acd.transition('a1', 'ready');
    await acd.answer('late', 'a1');
    expect((await acd.stats('sales')).today).toMatchObject({ day: '2025-01-07', offered: 1, answered: 1 });
    expect((await acd.getAgent('a1'))?.callsToday).toBe(1);

    h.clock.advance(1); // 00:00:00.000 in Moscow: a new day there, still 7 January in UTC
    expect((await acd.stats('sales')).today).toMatchObject({ day: '2025-01-08', offered: 0, answered: 0 });
    expect((await acd.getAgent('a1'))?.callsToday).toBe(0);
    await acd.enqueue({ callId: 'early', queueId: 'sales' });
    expect((await acd.stats('sales')).today).toMatchObject({ day: '2025-01-08', offered: 1 });

    // UTC midnight (03:00 in Moscow) is no boundary
    h.clock.set(Date.UTC(2025, 0, 8, 0, 0, 0, 1));
    await acd.enqueue({ callId: 'night', queueId: 'sales' });
    expect((await acd.stats('sales')).today).toMatchObject({ day: '2025-01-08', offered: 2 });
  });

  it('follows another configured zone the same way', async () => {
    // (every process sharing one Redis must use the same zone: the day is part of the counters' keys)
    const utc = await h.acd({ nodeId: 'utc', settings: { timeZone: 'UTC' } });
    await utc.defineQueue({ id: 'sales' });
    h.clock.set(Date.UTC(2025, 0, 9, 23, 59, 59, 999));
    await utc.enqueue({ callId: 'before', queueId: 'sales' });
    expect((await utc.stats('sales')).today).toMatchObject({ day: '2025-01-09', offered: 1 });
    h.clock.advance(1);
    expect((await utc.stats('sales')).today).toMatchObject({ day: '2025-01-10', offered: 0 });
  });

  it('refuses an unknown time zone', async () => {
    await expect(h.acd({ settings: { timeZone: 'Mars/Olympus_Mons' } })).rejects.toThrow(/unknown time zone/);
  });
});

