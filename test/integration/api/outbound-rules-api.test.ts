import { findTrunkIdentity } from '../../../src/db/repositories/outbound-rules-repository';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

/**
 * The admin API of issue 17's outbound rules over real HTTP and Postgres:
 * a trunk's caller identity, the do-not-call list, a client's time zone.
 */
describe('outbound rules API: trunk caller ID, do-not-call list, client time zone (issue 17)', () => {
  let h: ApiHarness;
  let admin: string;
  let supervisor: string;
  let operator: string;

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, env: { SIP_TRUNKS: '127.0.0.5:5090,10.0.0.0/8' } });
    const login = async (username: string, password: string) => (await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username, password } })).body.token;
    admin = await login('admin', 'admin-password');
    supervisor = await login('supervisor', 'demo-pass-1');
    operator = await login('anna', 'demo-pass-1');
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('an admin sets a trunk\'s number, name, asserted number and privacy; the list shows it; a bad number is refused per field', async () => {
    expect((await h.call('GET', '/api/trunks', { token: admin })).body).toEqual([{ trunk: '127.0.0.5:5090', identity: null }]);
    const saved = await h.call('PUT', '/api/trunks/127.0.0.5:5090/caller-id', {
      token: admin, body: { fromNumber: '8 (495) 123-45-67', displayName: 'Acme Sales', assertedNumber: '', privacy: 'id' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ trunk: '127.0.0.5:5090', identity: { fromNumber: '+74951234567', displayName: 'Acme Sales', assertedNumber: null, privacy: 'id' } });
    expect(await findTrunkIdentity(h.db, '127.0.0.5:5090')).toMatchObject({ fromNumber: '+74951234567', privacy: 'id' });
    expect((await h.call('GET', '/api/trunks', { token: admin })).body[0].identity.displayName).toBe('Acme Sales');
    const bad = await h.call('PUT', '/api/trunks/127.0.0.5:5090/caller-id', { token: admin, body: { fromNumber: '+7495', displayName: 'Say "hi"', privacy: 'none' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('body/fromNumber');
    expect((await h.call('PUT', '/api/trunks/192.0.2.1:5060/caller-id', { token: admin, body: { fromNumber: '+74951234567', privacy: 'none' } })).status).toBe(404);
    expect((await h.call('PUT', '/api/trunks/127.0.0.5:5090/caller-id', { token: supervisor, body: { fromNumber: '+74951234567', privacy: 'none' } })).status).toBe(403);
    expect((await h.call('DELETE', '/api/trunks/127.0.0.5:5090/caller-id', { token: admin })).status).toBe(204);
    expect(await findTrunkIdentity(h.db, '127.0.0.5:5090')).toBeNull();
  });

  it('a supervisor puts numbers on the do-not-call list with a reason, finds them, and takes one off; operators may not', async () => {
    const added = await h.call('POST', '/api/do-not-call', { token: supervisor, body: { numbers: ['8 495 100-00-01', '+74951000002', '+7 495 100 00 01'], reason: 'asked not to be called' } });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ added: 2, numbers: ['+74951000001', '+74951000002'] });
    const listed = await h.call('GET', '/api/do-not-call?search=1000001', { token: supervisor });
    expect(listed.body).toMatchObject({ total: 1, items: [{ e164: '+74951000001', reason: 'asked not to be called' }] });
    expect((await h.call('DELETE', '/api/do-not-call/+74951000002', { token: supervisor })).status).toBe(204);
    expect((await h.call('DELETE', '/api/do-not-call/+74951000002', { token: supervisor })).status).toBe(404);
    expect((await h.call('GET', '/api/do-not-call', { token: supervisor })).body.total).toBe(1);
    expect((await h.call('POST', '/api/do-not-call', { token: operator, body: { numbers: ['+74951000003'], reason: 'x' } })).status).toBe(403);
    expect((await h.call('POST', '/api/do-not-call', { token: supervisor, body: { numbers: ['not a number'], reason: 'x' } })).status).toBe(400);
  });

  it('a client\'s time zone is set to a known IANA zone, refused otherwise, and cleared with null', async () => {
    const client = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Prodtorg LLC'")).rows[0]!.id;
    expect((await h.call('PUT', `/api/clients/${client}/time-zone`, { token: supervisor, body: { timeZone: 'Asia/Vladivostok' } })).body).toEqual({ id: client, timeZone: 'Asia/Vladivostok' });
    expect((await h.db.query('SELECT time_zone FROM clients WHERE id = $1', [client])).rows[0]).toEqual({ time_zone: 'Asia/Vladivostok' });
    expect((await h.call('GET', `/api/clients/${client}/time-zone`, { token: supervisor })).body).toEqual({ id: client, timeZone: 'Asia/Vladivostok', effectiveTimeZones: ['Asia/Vladivostok'] });
    expect((await h.call('PUT', `/api/clients/${client}/time-zone`, { token: supervisor, body: { timeZone: 'Mars/Olympus' } })).status).toBe(400);
    expect((await h.call('PUT', `/api/clients/${client}/time-zone`, { token: supervisor, body: { timeZone: null } })).status).toBe(200);
    // Not set: a Russian number may be in any of Russia's zones.
    expect((await h.call('GET', `/api/clients/${client}/time-zone`, { token: supervisor })).body.effectiveTimeZones).toEqual(expect.arrayContaining(['Europe/Moscow', 'Asia/Vladivostok', 'Europe/Kaliningrad']));
    expect((await h.call('PUT', '/api/clients/999999/time-zone', { token: supervisor, body: { timeZone: null } })).status).toBe(404);
  });
});
