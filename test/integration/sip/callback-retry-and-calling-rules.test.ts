import { randomUUID } from 'node:crypto';
import { Acd, type Reservation } from '../../../src/acd';
import type { OutboundCalls } from '../../../src/api/api-context';
import { registerOutboundRoutes } from '../../../src/api/routes/outbound-routes';
import { loadConfig } from '../../../src/config/load-config';
import { addDoNotCall, setClientTimeZone } from '../../../src/db/repositories/outbound-rules-repository';
import { outboundPolicyFor } from '../../../src/routing/outbound-policy';
import { callbackHooks, type CallbackRetryDeps } from '../../../src/sip/callback-dialer';
import { RedisCallbackRetryStore } from '../../../src/sip/callback-retry-store';
import { RedisOutboundCallSlots } from '../../../src/sip/outbound-call-slots';
import { OutboundDialer } from '../../../src/sip/outbound-dialer';
import { deskPhone, fakeCallWorld, fakeRequest, fakeResponse, sdp, type FakeCallWorld } from '../../fakes/call-session-fakes';
import { findDialer } from '../../../src/db/repositories/dialer-repository';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually } from '../../helpers/eventually';
import { DIRECTORY } from '../../unit/routing/routing-fixtures';

/**
 * Issue 17 on real Postgres and Redis (SIP faked): a callback the client does
 * not answer is tried again after its delay at the caller's original place in
 * the real ACD, and given up after the last try with the result on the
 * request; campaign calls and callbacks respect the do-not-call list and the
 * calling window in the client's time zone (a refused callback waits for its
 * window instead of failing).
 */
describe('callback retries, do-not-call list and calling window (issue 17)', () => {
  let h: ApiHarness;
  let world: FakeCallWorld;
  let acd: Acd;
  let dialer: OutboundDialer;
  let slots: RedisOutboundCallSlots;
  let store: RedisCallbackRetryStore;
  /** The dialer's clock: 12:00 Moscow time unless a test moves it. */
  let now = Date.UTC(2026, 11, 7, 9, 0);
  const ids: Record<string, number> = {};
  const tokens: Record<string, string> = {};
  const outbound: OutboundCalls = { clickToCall: (request) => dialer.clickToCall(request) };
  const window = { start: '09:00', end: '21:00', siteTimeZone: 'Europe/Moscow' };

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, beforeListen: (app) => registerOutboundRoutes(app, outbound) });
    const config = loadConfig({ env: { NODE_ENV: 'test' } });
    world = fakeCallWorld(DIRECTORY);
    acd = new Acd({ redis: h.redis, nodeId: 'h17c-test' });
    await acd.heartbeat();
    await acd.defineQueue({ id: 'cb-test' });
    store = new RedisCallbackRetryStore(h.redis, 'test:callback-retries');
    slots = new RedisOutboundCallSlots({ redis: h.redis, logger: world.services.logger });
    dialer = new OutboundDialer({
      services: world.services, db: h.db, acd, defaultCountry: 'RU', trunks: [{ host: '192.0.2.5', port: 5060 }],
      policy: outboundPolicyFor(config.outbound, 'RU'), slots,
      callingRules: { window, callbackRetry: { maxAttempts: 3, retryDelayMs: 600_000 } },
      callbackRetries: store, retryPollMs: 20, now: () => now,
    });
    for (const login of ['anna']) {
      ids[login] = (await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login])).rows[0]!.staff_id;
      world.phones.set(ids[login], [deskPhone(login)]);
      const answer = await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: login, password: 'demo-pass-1' } });
      tokens[login] = answer.body.token;
    }
  }, 60_000);

  afterAll(async () => {
    await dialer?.stop({ drainMs: 0 });
    slots?.stop();
    await h?.close();
  });

  beforeEach(() => {
    now = Date.UTC(2026, 11, 7, 9, 0);
  });

  /** A caller's callback request: the call row managers see, and its entry waiting in the real ACD. */
  const callbackRequest = async (number: string, meta: Record<string, unknown> = {}): Promise<{ id: string; reservation: Reservation }> => {
    const id = randomUUID();
    await h.db.query(
      `INSERT INTO calls (id, direction, caller_number, caller_e164, started_at, ended_at, outcome) VALUES ($1, 'inbound', $2, $2, now(), now(), 'callback_requested')`,
      [id, number],
    );
    await acd.enqueue({ callId: id, queueId: 'cb-test', callerNumber: number, priority: 7 });
    await acd.requestCallback(id, number);
    return { id, reservation: { callId: id, agentId: String(ids.anna), queueId: 'cb-test', kind: 'callback', owner: '', holder: 'h17c-test', deadline: now + 15_000, ringMs: 15_000, callbackNumber: number, meta } };
  };
  const resultOf = async (id: string) => eventually(
    async () => (await h.db.query<{ result: string; notes: string }>('SELECT result, notes FROM callback_results WHERE call_id = $1', [id])).rows[0],
    (row) => row !== undefined, 5_000, 20,
  );
  const deps = (): CallbackRetryDeps => ({
    settings: { maxAttempts: 3, retryDelayMs: 600_000 }, store, now: () => now,
    recordResult: async (requestId, result, notes) => {
      await h.db.query('INSERT INTO callback_results (call_id, result, notes) VALUES ($1, $2, $3)', [requestId, result, notes]);
    },
  });

  it('a client who does not answer is tried again after the delay, at the original place: ahead of callers who came later', async () => {
    const { id, reservation } = await callbackRequest('+74951000001');
    const original = await acd.getCall(id);
    // Someone else waits behind the request meanwhile.
    const later = randomUUID();
    await acd.enqueue({ callId: later, queueId: 'cb-test', callerNumber: '+74951000002', priority: 7 });
    const note = await callbackHooks(acd, reservation, world.services.logger, deps()).farFailed!('no answer in 45 s', { outcome: 'no_answer', status: null });
    expect(note).toMatchObject({ callback: { outcome: 'retry_scheduled', attempt: 1, next: `${id}.cb2`, nextAttempt: 2, dueAt: new Date(now + 600_000).toISOString() } });
    // Not back in the line before its time.
    await acd.abandon(id);
    expect(await acd.getCall(`${id}.cb2`)).toBeNull();
    expect((await store.waiting()).map((e) => e.callId)).toContain(`${id}.cb2`);
    now += 600_000;
    const retry = await eventually(() => acd.getCall(`${id}.cb2`), (c) => c !== null, 5_000, 20);
    expect(retry).toMatchObject({ kind: 'callback', state: 'waiting', callbackNumber: '+74951000001', priority: 7, score: original!.score });
    expect((await acd.position(`${id}.cb2`)).position).toBeLessThan((await acd.position(later)).position!);
    expect(retry!.meta).toMatchObject({ callbackAttempt: 2, previousCallId: id });
    await acd.abandon(`${id}.cb2`);
    await acd.abandon(later);
  });

  it('after the last try the request is given up, with the result where managers see callbacks dealt with', async () => {
    const { id, reservation } = await callbackRequest('+74951000001', { callbackAttempt: 3 });
    const note = await callbackHooks(acd, reservation, world.services.logger, deps()).farFailed!('486 Busy Here', { outcome: 'busy', status: 486 });
    expect(note).toMatchObject({ callback: { outcome: 'given_up', attempt: 3, result: 'given up: no answer after 3 tries' } });
    expect(await resultOf(id)).toEqual({ result: 'given up: no answer after 3 tries', notes: 'last try: 486 Busy Here' });
    await acd.abandon(id);
  });

  it('a callback to a number on the do-not-call list is not dialled: withdrawn, the request marked with the reason', async () => {
    await addDoNotCall(h.db, [{ e164: '+74951000003', reason: 'asked not to be called' }], null);
    const { id, reservation } = await callbackRequest('+74951000003');
    const before = world.srf.invites.length;
    dialer.dialCallback(reservation);
    expect(await resultOf(id)).toMatchObject({ result: 'not dialled: do_not_call' });
    expect((await resultOf(id))?.notes).toMatch(/asked not to be called/);
    expect(await acd.getCall(id)).toMatchObject({ state: 'abandoned' });
    expect(world.srf.invites).toHaveLength(before);
  });

  it('a callback outside the client\'s calling window waits for it at its place instead of failing, and is back in the line when it opens', async () => {
    const vladivostok = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Dormant stall 31'")).rows[0]!.id;
    await setClientTimeZone(h.db, vladivostok, 'Asia/Vladivostok');
    // 12:00 in Moscow is 19:00 in Vladivostok; at 14:30 Moscow time it is 21:30 there: too late.
    now = Date.UTC(2026, 11, 7, 11, 30);
    const { id, reservation } = await callbackRequest('+74951000007', { clientId: vladivostok });
    const before = world.srf.invites.length;
    const figures = async () => {
      const { today } = await acd.stats('cb-test');
      return { abandoned: today.abandoned, callbacks: today.callbacks };
    };
    const figuresBefore = await figures();
    /** The queue's live figures: callers in line, and callback requests pending (in line or held back for the window). */
    const live = async () => {
      const stats = await acd.stats('cb-test');
      return { waitingNow: stats.waitingNow, callbacksWaiting: stats.callbacksWaiting, callbacksHeldBack: stats.callbacksHeldBack };
    };
    // The reserved request counts among the queue's callbacks waiting (and its line) until it is placed.
    const liveBefore = await live();
    dialer.dialCallback(reservation);
    const waiting = await eventually(async () => (await store.waiting()).find((e) => e.callId === `${id}.cb2`), (e) => e !== undefined, 5_000, 20);
    // Held back, the request is still a callback waiting, though out of the line.
    expect(await live()).toEqual({ waitingNow: liveBefore.waitingNow - 1, callbacksWaiting: liveBefore.callbacksWaiting, callbacksHeldBack: liveBefore.callbacksHeldBack + 1 });
    // 09:00 in Vladivostok (UTC+10) the next day, the same try.
    expect(waiting).toMatchObject({ attempt: 1, dueAt: Date.UTC(2026, 11, 7, 23, 0), priority: 7 });
    expect(world.srf.invites).toHaveLength(before);
    expect(await acd.getCall(id)).toMatchObject({ state: 'abandoned' });
    const rows = await h.db.query('SELECT 1 FROM callback_results WHERE call_id = $1', [id]);
    expect(rows.rowCount).toBe(0);
    // The window opens: the entry is back in the line, and a callback reserved now rings the agent.
    now = Date.UTC(2026, 11, 7, 23, 0);
    expect(await eventually(() => acd.getCall(`${id}.cb2`), (c) => c !== null, 5_000, 20)).toMatchObject({ state: 'waiting' });
    expect((await store.waiting()).find((e) => e.callId === `${id}.cb2`)).toBeUndefined();
    // Held back and back in line, it is still the one callback requested: neither an abandon nor a cancelled callback.
    expect(await figures()).toEqual(figuresBefore);
    expect(await live()).toEqual(liveBefore);
    await acd.abandon(`${id}.cb2`);
    expect(await live()).toEqual({ waitingNow: liveBefore.waitingNow - 1, callbacksWaiting: liveBefore.callbacksWaiting - 1, callbacksHeldBack: liveBefore.callbacksHeldBack });
  });

  describe('campaign calls', () => {
    let campaignCall: number;
    beforeAll(async () => {
      const client = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Prodtorg LLC'")).rows[0]!.id;
      await setClientTimeZone(h.db, client, 'Europe/Moscow');
      const campaign = (await h.db.query<{ id: number }>("INSERT INTO campaigns (name, created_by, status, criteria) VALUES ('Window test', 'admin', 'active', '{}') RETURNING id")).rows[0]!.id;
      campaignCall = (await h.db.query<{ id: number }>('INSERT INTO campaign_calls (campaign_id, client_id, assigned_staff_id) VALUES ($1, $2, $3) RETURNING id', [campaign, client, ids.anna])).rows[0]!.id;
    });
    const place = () => h.call('POST', '/api/calls/outbound', { token: tokens.anna!, body: { campaignCallId: campaignCall } });

    it('outside the window in the client\'s time zone: 403 with the reason and when it opens; nothing rings', async () => {
      now = Date.UTC(2026, 11, 7, 3, 0); // 06:00 in Moscow
      const before = world.srf.invites.length;
      const refused = await place();
      expect(refused.status).toBe(403);
      expect(refused.body.error.details).toEqual([{ path: 'reason', message: 'outside_calling_window' }, { path: 'nextAllowedAt', message: '2026-12-07T06:00:00.000Z' }]);
      expect(world.srf.invites).toHaveLength(before);
    });

    it('inside it the call is placed; once the number is on the do-not-call list it is refused at any hour', async () => {
      const before = world.srf.invites.length;
      expect((await place()).status).toBe(202);
      (await world.srf.nextInvite(before)).refuse(480);
      await eventually(() => dialer.liveCalls, (n) => n === 0, 5_000, 20);
      const e164 = (await h.db.query<{ e164: string }>("SELECT p.e164 FROM client_phones p JOIN clients c ON c.id = p.client_id WHERE c.name = 'Prodtorg LLC' ORDER BY p.position, p.id LIMIT 1")).rows[0]!.e164;
      await addDoNotCall(h.db, [{ e164, reason: 'complaint 2026-12-01' }], ids.anna!);
      const refused = await place();
      expect(refused.status).toBe(403);
      expect(refused.body.error.details).toEqual([{ path: 'reason', message: 'do_not_call' }]);
      expect(refused.body.error.message).toMatch(/complaint 2026-12-01/);
      expect(world.srf.invites).toHaveLength(before + 1);
    });
  });

  // A person's own call (click-to-call) meets the do-not-call list like the company's calls do; the calling window only warns them.
  describe('click-to-call (a person\'s own call)', () => {
    const dial = (token: string, body: Record<string, unknown>) => h.call('POST', '/api/calls/outbound', { token, body });
    const placedAndEnded = async (before: number): Promise<void> => {
      (await world.srf.nextInvite(before)).refuse(480);
      await eventually(() => dialer.liveCalls, (n) => n === 0, 5_000, 20);
    };

    it('to a number on the do-not-call list: 403 naming the entry, nothing rings; an operator may not override it', async () => {
      await addDoNotCall(h.db, [{ e164: '+74951777201', reason: 'asked by letter 2026-11-30' }], null);
      const before = world.srf.invites.length;
      const refused = await dial(tokens.anna!, { number: '+74951777201' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.details).toEqual([{ path: 'reason', message: 'do_not_call' }]);
      expect(refused.body.error.message).toMatch(/\+74951777201 is on the do-not-call list \(asked by letter 2026-11-30\)/);
      const overridden = await dial(tokens.anna!, { number: '+74951777201', overrideDoNotCall: true });
      expect(overridden.status).toBe(403);
      expect(overridden.body.error.details).toEqual([{ path: 'reason', message: 'override_not_allowed' }]);
      expect(world.srf.invites).toHaveLength(before);
    });

    it('a supervisor who overrides the list for one call places it and is told so', async () => {
      await addDoNotCall(h.db, [{ e164: '+74951777202', reason: 'complaint' }], null);
      const supervisor = (await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: 'supervisor', password: 'demo-pass-1' } })).body.token;
      const before = world.srf.invites.length;
      expect((await dial(supervisor, { number: '+74951777202', staffId: ids.anna })).status).toBe(403);
      const placed = await dial(supervisor, { number: '+74951777202', staffId: ids.anna, overrideDoNotCall: true });
      expect(placed.status).toBe(202);
      expect(placed.body.notice).toMatch(/do-not-call list \(complaint\).*overrode/);
      await placedAndEnded(before);
    });

    it('a number on the list dialled on a desk phone is refused too (403 with the reason, a phone cannot ask to override)', async () => {
      await addDoNotCall(h.db, [{ e164: '+74951777204', reason: 'asked on the phone' }], null);
      const dialerFacts = await findDialer(h.db, ids.anna!);
      const before = world.srf.invites.length;
      const req = fakeRequest({ body: sdp(7000), headers: { From: '<sip:anna@office>;tag=dev-tag', 'Call-ID': 'dnc-device-1' } });
      const refused = dialer.placeFromDevice(req, fakeResponse(), { staffId: ids.anna!, username: 'anna' }, { kind: 'external', e164: '+74951777204', dialer: dialerFacts });
      await expect(refused).rejects.toMatchObject({ code: 'DESTINATION_NOT_ALLOWED', details: [{ path: 'reason', message: 'do_not_call' }] });
      await expect(refused).rejects.toThrow(/asked on the phone/);
      expect(world.srf.invites).toHaveLength(before);
    });

    it('outside the client\'s calling window the call is placed, and the person is told the client\'s hours', async () => {
      const client = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Ugolok grocery'")).rows[0]!.id;
      await setClientTimeZone(h.db, client, 'Europe/Moscow');
      now = Date.UTC(2026, 11, 7, 3, 0); // 06:00 in Moscow
      const before = world.srf.invites.length;
      const placed = await dial(tokens.anna!, { clientId: client });
      expect(placed.status).toBe(202);
      expect(placed.body.notice).toBe("the client's local time is outside the calling window 09:00–21:00 in Europe/Moscow; next allowed at 2026-12-07T06:00:00.000Z");
      // The same for a screen to say in its own language and the client's local time.
      expect(placed.body.outsideWindow).toEqual({ start: '09:00', end: '21:00', timeZones: ['Europe/Moscow'], nextAllowedAt: '2026-12-07T06:00:00.000Z' });
      await placedAndEnded(before);
      now = Date.UTC(2026, 11, 7, 9, 0);
      const inside = await dial(tokens.anna!, { clientId: client });
      expect(inside.status).toBe(202);
      expect(inside.body.notice).toBeUndefined();
      expect(inside.body.outsideWindow).toBeUndefined();
      await placedAndEnded(before + 1);
    });
  });
});
