import { randomUUID } from 'node:crypto';
import type { Acd, Reservation } from '../../../src/acd';
import type { OutboundCalls } from '../../../src/api/api-context';
import { registerOutboundRoutes } from '../../../src/api/routes/outbound-routes';
import { loadConfig } from '../../../src/config/load-config';
import { outboundPolicyFor } from '../../../src/routing/outbound-policy';
import { RedisOutboundCallSlots } from '../../../src/sip/outbound-call-slots';
import { OutboundDialer } from '../../../src/sip/outbound-dialer';
import { deskPhone, fakeCallWorld, type FakeCallWorld } from '../../fakes/call-session-fakes';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually } from '../../helpers/eventually';
import { DIRECTORY } from '../../unit/routing/routing-fixtures';

/**
 * The outbound destination policy at the API (issue 15): click-to-call over
 * real HTTP, the demo directory in a real Postgres, the per-user count in a
 * real Redis; SIP is faked (the staff's phone rings in a fake drachtio), so
 * what would have been sent is visible. A refused call rings nothing.
 */
describe('click-to-call, campaign calls and callbacks under the outbound policy (issue 15)', () => {
  let h: ApiHarness;
  let world: FakeCallWorld;
  let dialer: OutboundDialer;
  let slots: RedisOutboundCallSlots;
  const ids: Record<string, number> = {};
  const tokens: Record<string, string> = {};
  const outbound: OutboundCalls = { clickToCall: (request) => dialer.clickToCall(request) };

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, beforeListen: (app) => registerOutboundRoutes(app, outbound) });
    const config = loadConfig({ env: { NODE_ENV: 'test' } });
    world = fakeCallWorld(DIRECTORY);
    slots = new RedisOutboundCallSlots({ redis: h.redis, logger: world.services.logger });
    dialer = new OutboundDialer({
      services: world.services, db: h.db, acd: world.acd as unknown as Acd, defaultCountry: 'RU', trunks: [{ host: '192.0.2.5', port: 5060 }],
      policy: outboundPolicyFor(config.outbound, 'RU'), slots,
    });
    for (const login of ['anna', 'tatiana', 'ion']) {
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

  /** Every ringing staff phone refuses: the calls end as failed, and (in their finally) give their slots back. */
  const endRingingCalls = async (): Promise<void> => {
    for (const invite of world.srf.invites) if (!invite.cancelled) invite.refuse(480);
    await eventually(() => dialer.liveCalls, (n) => n === 0, 5_000, 20);
  };
  const place = (login: string, body: Record<string, unknown>) => h.call('POST', '/api/calls/outbound', { token: tokens[login]!, body });

  it('refuses a premium-rate or international number with 403 and the reason code, rings nothing, holds no slot', async () => {
    const premium = await place('anna', { number: '8 809 123-45-67' });
    expect(premium.status).toBe(403);
    expect(premium.body.error).toMatchObject({ code: 'DESTINATION_NOT_ALLOWED', details: [{ path: 'reason', message: 'premium_rate' }] });
    expect(premium.body.error.message).toMatch(/premium-rate/);
    const abroad = await place('anna', { number: '0040 264 100 008' });
    expect(abroad.status).toBe(403);
    expect(abroad.body.error.details).toEqual([{ path: 'reason', message: 'international' }]);
    // The demo's Romanian client, by its card: abroad as well.
    const cluj = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Cluj Distribution SRL'")).rows[0]!.id;
    expect((await place('anna', { clientId: cluj })).status).toBe(403);
    expect(world.srf.invites).toEqual([]);
    expect(await slots.count(ids.anna!)).toBe(0);
  });

  it('the demo clients at home are dialled as before; a third call at once is refused with 429, and a finished call frees its slot', async () => {
    const first = await place('anna', { number: '+7 (495) 100-00-01' });
    expect(first.status).toBe(202);
    const prodtorg = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Prodtorg LLC'")).rows[0]!.id;
    expect((await place('anna', { clientId: prodtorg })).status).toBe(202);
    expect(world.srf.invites.map((i) => i.uri)).toEqual([deskPhone('anna').uri, deskPhone('anna').uri]);
    expect(await slots.count(ids.anna!)).toBe(2);
    const third = await place('anna', { number: '+7 (495) 100-00-04' });
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({ code: 'CALL_LIMIT_REACHED', details: [{ path: 'reason', message: 'call_limit_reached' }] });
    expect(world.srf.invites).toHaveLength(2);
    // Someone else is not held back by Anna's calls.
    expect((await place('ion', { number: '+7 (495) 100-00-04' })).status).toBe(202);
    // The calls fail (nobody answers): every slot comes back, and Anna may call again.
    await endRingingCalls();
    expect(await eventually(() => slots.count(ids.anna!), (n) => n === 0, 5_000, 20)).toBe(0);
    expect(await slots.count(ids.ion!)).toBe(0);
    expect((await place('anna', { number: '+7 (495) 100-00-04' })).status).toBe(202);
    await endRingingCalls();
  });

  it('without the dial-out right: 403 FORBIDDEN naming it — but an emergency number is put through', async () => {
    const refused = await place('tatiana', { number: '+7 (495) 100-00-01' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: [{ path: 'reason', message: 'no_dial_out_right' }] });
    const before = world.srf.invites.length;
    const emergency = await place('tatiana', { number: '112' });
    expect(emergency.status).toBe(202);
    expect(world.srf.invites.slice(before).map((i) => i.uri)).toEqual([deskPhone('tatiana').uri]);
    await endRingingCalls();
  });

  it('a campaign call is dialled as such: only the assignee\'s, and its client\'s number meets the policy', async () => {
    const dormant = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Dormant stall 31'")).rows[0]!.id;
    const campaign = (await h.db.query<{ id: number }>("INSERT INTO campaigns (name, created_by, status, criteria) VALUES ('Policy test', 'admin', 'active', '{}') RETURNING id")).rows[0]!.id;
    const call = (await h.db.query<{ id: number }>('INSERT INTO campaign_calls (campaign_id, client_id, assigned_staff_id) VALUES ($1, $2, $3) RETURNING id', [campaign, dormant, ids.anna])).rows[0]!.id;
    expect((await place('ion', { campaignCallId: call })).status).toBe(404);
    expect((await place('anna', { campaignCallId: call })).status).toBe(202);
    await endRingingCalls();
    // The client's number turns out to be premium-rate: the campaign call is refused, nothing rings.
    await h.db.query("UPDATE client_phones SET e164 = '+78091234567' WHERE client_id = $1", [dormant]);
    const before = world.srf.invites.length;
    const refused = await place('anna', { campaignCallId: call });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toEqual([{ path: 'reason', message: 'premium_rate' }]);
    expect(world.srf.invites).toHaveLength(before);
  });

  describe('callbacks dial the number the trunk asserted', () => {
    const callbackRequest = async (number: string): Promise<Reservation> => {
      const id = randomUUID();
      await h.db.query(
        `INSERT INTO calls (id, direction, caller_number, caller_e164, started_at, ended_at, outcome) VALUES ($1, 'inbound', $2, $2, now(), now(), 'callback_requested')`,
        [id, number],
      );
      return { callId: id, agentId: String(ids.anna), queueId: 'operators', kind: 'callback', owner: 'test', holder: 'test', deadline: Date.now() + 15_000, ringMs: 15_000, callbackNumber: number };
    };

    it('a callback to a premium-rate number is not dialled: the ACD request is withdrawn and the request marked with the reason', async () => {
      const reservation = await callbackRequest('+78091234567');
      const before = world.srf.invites.length;
      dialer.dialCallback(reservation);
      const marked = await eventually(
        async () => (await h.db.query('SELECT result, notes, staff_id FROM callback_results WHERE call_id = $1', [reservation.callId])).rows[0],
        (row) => row !== undefined, 5_000, 20,
      );
      expect(marked).toMatchObject({ result: 'not dialled: premium_rate', staff_id: null });
      expect(marked.notes).toMatch(/premium-rate/);
      expect(world.acd.log).toContain(`abandon ${reservation.callId}`);
      expect(world.acd.log).not.toContain(`offered ${reservation.callId} ${ids.anna}`);
      expect(world.srf.invites).toHaveLength(before);
    });

    it('a callback to an emergency number asserted by the trunk is never dialled; one to a Moscow number is', async () => {
      const emergency = await callbackRequest('112');
      dialer.dialCallback(emergency);
      const marked = await eventually(
        async () => (await h.db.query('SELECT result FROM callback_results WHERE call_id = $1', [emergency.callId])).rows[0],
        (row) => row !== undefined, 5_000, 20,
      );
      expect(marked).toEqual({ result: 'not dialled: emergency_not_automated' });
      const before = world.srf.invites.length;
      const home = await callbackRequest('+74951000001');
      dialer.dialCallback(home);
      const rung = await world.srf.nextInvite(before);
      expect(rung.uri).toBe(deskPhone('anna').uri);
      expect(rung.headers['X-Switchboard-Direction']).toBe('callback');
      await endRingingCalls();
    });
  });
});
