import { randomUUID } from 'node:crypto';
import type { Acd } from '../../../src/acd';
import { AppError } from '../../../src/errors/app-error';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually, quietPeriod } from '../../helpers/eventually';
import { MonitorLegPlacerDouble } from '../../helpers/monitor-leg-placer-double';

/** A caller connected to an agent through a queue, as the ACD holds it while they talk. */
async function connectCall(acd: Acd, queueId: string, agentId: string, callerNumber: string): Promise<string> {
  const callId = randomUUID();
  await acd.transition(agentId, 'ready');
  const enqueued = await acd.enqueue({ callId, queueId, callerNumber });
  if (enqueued.reservations[0]?.agentId !== agentId) throw new Error(`call not reserved for ${agentId}: ${JSON.stringify(enqueued)}`);
  await acd.markOffered(callId, agentId);
  await acd.answer(callId, agentId);
  return callId;
}

// Issue 18 points 3 and 5: who may monitor which live call, and the audit of every session — over real HTTP,
// Postgres and Redis (the ACD). The telephony is the placer port's test double: these tests are about rights and
// audit; the real placer is tested end to end with drachtio-server and rtpengine.
describe('call monitoring API: rights and audit', () => {
  let h: ApiHarness;
  let acd: Acd;
  const placer = new MonitorLegPlacerDouble();
  const staff = new Map<string, number>();
  const users = new Map<string, number>();
  let operatorsCall: string;
  let regionalCall: string;

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, monitorLegs: placer });
    acd = h.acd as Acd;
    for (const row of (await h.db.query<{ id: number; full_name: string }>('SELECT id, full_name FROM staff')).rows) staff.set(row.full_name, row.id);
    for (const u of (await h.call<Array<{ id: number; username: string }>>('GET', '/api/users', { token: h.tokens.admin })).body) users.set(u.username, u.id);
    // Everyone who monitors needs a phone for the monitoring call: their account is linked to a person.
    const link = async (username: string, person: string): Promise<void> => {
      const r = await h.call('PATCH', `/api/users/${users.get(username)}`, { token: h.tokens.admin, body: { staffId: staff.get(person) } });
      expect(r.status).toBe(200);
    };
    await link('admin', 'Irina Sokolova');
    await link('h_supervisor', 'Dmitri Lebedev');
    await link('h_quality', 'Svetlana Belova');
    await link('h_operator', 'Olga Smirnova');
    operatorsCall = await connectCall(acd, 'operators', String(staff.get('Anna Petrova')), '+74951000001');
    regionalCall = await connectCall(acd, 'regional', String(staff.get('Ion Popescu')), '+74822100005');
  });
  afterAll(async () => {
    await h?.close();
  });

  const session = (id: string): Promise<{ state: string; end_reason: string | null; end_detail: string | null; duration_ms: number | null; mode_history: Array<{ mode: string }> } | undefined> =>
    h.db.query('SELECT state, end_reason, end_detail, duration_ms, mode_history FROM monitoring_sessions WHERE id = $1', [id]).then((r) => r.rows[0]);

  it('closes a session left running by a process that died, once its call has ended: listed as ended with the call, audited by the system', async () => {
    const insertRunning = async (callId: string): Promise<string> => {
      const id = randomUUID();
      await h.db.query(
        `INSERT INTO monitoring_sessions (id, call_id, agent_staff_id, caller_number, queue, supervisor_user_id, supervisor_username, state, mode, mode_history, started_at, answered_at)
         VALUES ($1, $2, $3, '+74951000009', 'operators', $4, 'h_supervisor', 'active', 'listen', '[{"mode":"listen","at":"2026-12-01T10:00:01Z"}]', '2026-12-01T10:00:00Z', '2026-12-01T10:00:01Z')`,
        [id, callId, staff.get('Anna Petrova'), users.get('h_supervisor')],
      );
      return id;
    };
    // A call that ended at 10:05 (its row is written when it ends), and one still going on somewhere (no row yet).
    const endedCall = randomUUID();
    await h.db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, started_at, ended_at, queue_name, outcome, hangup_side)
       VALUES ($1, '+74951000009', '+74951000009', '2026-12-01T09:59:00Z', '2026-12-01T10:05:00Z', 'operators', 'answered', 'caller')`,
      [endedCall],
    );
    const orphan = await insertRunning(endedCall);
    const live = await insertRunning(randomUUID());
    try {
      const running = await h.call<{ items: Array<{ id: string }> }>('GET', '/api/call-monitoring/sessions?active=true', { token: h.tokens.admin });
      expect(running.body.items.map((s) => s.id)).toEqual([live]);
      const closed = (await h.call<{ items: Array<{ id: string; state: string; endReason: string; endDetail: string; endedAt: string; durationSeconds: number }> }>(
        'GET', '/api/call-monitoring/sessions?active=false', { token: h.tokens.admin },
      )).body.items.find((s) => s.id === orphan);
      expect(closed).toMatchObject({ state: 'ended', endReason: 'call_ended', endedAt: '2026-12-01T10:05:00.000Z', durationSeconds: 299 });
      expect(closed?.endDetail).toMatch(/no process carried it to the end/);
      const audit = await h.db.query<{ username: string; step: string }>(
        "SELECT username, after->>'step' AS step FROM audit_log WHERE entity = 'monitoring session' AND entity_id = $1", [orphan],
      );
      expect(audit.rows).toEqual([{ username: 'system', step: 'ended' }]);
    } finally {
      await h.db.query('DELETE FROM monitoring_sessions WHERE id = ANY($1)', [[orphan, live]]);
      await h.db.query('DELETE FROM calls WHERE id = $1', [endedCall]);
    }
  });

  it('refuses an operator on every monitoring route (403)', async () => {
    const id = randomUUID();
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/call-monitoring/capabilities'],
      ['POST', '/api/call-monitoring/sessions', { callId: operatorsCall, mode: 'listen' }],
      ['PATCH', `/api/call-monitoring/sessions/${id}`, { mode: 'whisper' }],
      ['DELETE', `/api/call-monitoring/sessions/${id}`],
      ['GET', '/api/call-monitoring/sessions'],
      ['GET', '/api/call-monitoring/queue-supervisors'],
      ['PUT', '/api/call-monitoring/queue-supervisors/1', { userIds: [] }],
    ];
    for (const [method, path, body] of routes) {
      const r = await h.call(method, path, { token: h.tokens.operator, ...(body !== undefined ? { body } : {}) });
      expect({ method, path, status: r.status, code: r.body?.error?.code }).toEqual({ method, path, status: 403, code: 'FORBIDDEN' });
    }
    expect(placer.placed).toHaveLength(0);
    expect(Number((await h.db.query('SELECT count(*) FROM monitoring_sessions')).rows[0].count)).toBe(0);
  });

  it('lets a supervisor monitor only the calls of the queues assigned to them, once assigned', async () => {
    // Assigned to none: the default policy lets them see every queue, as before assignments existed.
    const caps = await h.call('GET', '/api/call-monitoring/capabilities', { token: h.tokens.supervisor });
    expect(caps.body).toMatchObject({ available: true, allowedModes: ['listen', 'whisper', 'barge'], queues: null, policy: { unassignedSupervisorsSeeAllQueues: true, announce: 'none' } });

    const queues = await h.call<{ items: Array<{ queueId: number; queue: string }> }>('GET', '/api/call-monitoring/queue-supervisors', { token: h.tokens.admin });
    const regional = queues.body.items.find((q) => q.queue === 'regional');
    expect(regional).toBeDefined();
    // Only supervisor accounts can be assigned.
    const wrong = await h.call('PUT', `/api/call-monitoring/queue-supervisors/${regional?.queueId}`, { token: h.tokens.admin, body: { userIds: [users.get('h_quality')] } });
    expect(wrong.status).toBe(400);
    const assigned = await h.call('PUT', `/api/call-monitoring/queue-supervisors/${regional?.queueId}`, { token: h.tokens.admin, body: { userIds: [users.get('h_supervisor')] } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.supervisors).toEqual([{ userId: users.get('h_supervisor'), username: 'h_supervisor', role: 'supervisor' }]);

    expect((await h.call('GET', '/api/call-monitoring/capabilities', { token: h.tokens.supervisor })).body.queues).toEqual(['regional']);
    const outside = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.supervisor, body: { callId: operatorsCall, mode: 'listen' } });
    expect(outside.status).toBe(403);
    expect(outside.body.error.message).toMatch(/operators is not among the queues you supervise/);

    const inside = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.supervisor, body: { callId: regionalCall, mode: 'listen' } });
    expect(inside.status).toBe(201);
    expect(inside.body).toMatchObject({ state: 'active', mode: 'listen', callId: regionalCall, queue: 'regional', agentName: 'Ion Popescu', callerNumber: '+74822100005', supervisorName: 'h_supervisor' });
    expect(placer.placed.at(-1)?.request).toEqual({ sessionId: inside.body.id, callId: regionalCall, mode: 'listen', supervisorStaffId: staff.get('Dmitri Lebedev'), announce: false, onModeForced: expect.any(Function) });

    // Whisper, then barge: each change reaches the leg and the audit row.
    const whisper = await h.call('PATCH', `/api/call-monitoring/sessions/${inside.body.id}`, { token: h.tokens.supervisor, body: { mode: 'whisper' } });
    expect(whisper.status).toBe(200);
    expect(whisper.body.modeHistory.map((c: { mode: string }) => c.mode)).toEqual(['listen', 'whisper']);
    expect(placer.placed.at(-1)?.modes).toEqual(['listen', 'whisper']);
    // Twice on the same call is refused: they switch the mode of the session they have.
    const twice = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.supervisor, body: { callId: regionalCall, mode: 'barge' } });
    expect(twice.status).toBe(409);
    // Somebody else's session is not theirs to switch or stop.
    expect((await h.call('PATCH', `/api/call-monitoring/sessions/${inside.body.id}`, { token: h.tokens.quality, body: { mode: 'listen' } })).status).toBe(403);
    expect((await h.call('DELETE', `/api/call-monitoring/sessions/${inside.body.id}`, { token: h.tokens.quality })).status).toBe(403);

    const stopped = await h.call('DELETE', `/api/call-monitoring/sessions/${inside.body.id}`, { token: h.tokens.supervisor });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ state: 'ended', endReason: 'stopped' });
    expect(placer.placed.at(-1)?.stopped).toBe(true);
  });

  it('lets the quality role listen to any call, never whisper or barge, and records the session with its duration', async () => {
    const whisper = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.quality, body: { callId: operatorsCall, mode: 'whisper' } });
    expect(whisper.status).toBe(403);
    const caps = await h.call('GET', '/api/call-monitoring/capabilities', { token: h.tokens.quality });
    expect(caps.body.allowedModes).toEqual(['listen']);

    const listen = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.quality, body: { callId: operatorsCall, mode: 'listen' } });
    expect(listen.status).toBe(201);
    const id: string = listen.body.id;
    expect(await session(id)).toMatchObject({ state: 'active', end_reason: null, duration_ms: null });
    expect((await h.call('PATCH', `/api/call-monitoring/sessions/${id}`, { token: h.tokens.quality, body: { mode: 'barge' } })).status).toBe(403);

    await quietPeriod(300, 'the session is heard for a moment, so that its duration is more than zero');
    const stopped = await h.call('DELETE', `/api/call-monitoring/sessions/${id}`, { token: h.tokens.quality });
    expect(stopped.status).toBe(200);
    expect(stopped.body.durationSeconds).toBeGreaterThanOrEqual(0.3);
    expect(stopped.body.durationSeconds).toBeCloseTo((Date.parse(stopped.body.endedAt) - Date.parse(stopped.body.answeredAt)) / 1000, 3);
    const row = await session(id);
    expect(row).toMatchObject({ state: 'ended', end_reason: 'stopped', mode_history: [{ mode: 'listen' }] });
    expect(row?.duration_ms).toBeGreaterThanOrEqual(300);

    // The audit log tells the same story: who, the call, each step.
    const audit = await h.db.query<{ username: string; action: string; after: { step?: string; callId: string; state: string } }>(
      "SELECT username, action, after FROM audit_log WHERE entity = 'monitoring session' AND entity_id = $1 ORDER BY id", [id],
    );
    expect(audit.rows.map((r) => [r.username, r.action, r.after.step ?? null, r.after.state, r.after.callId])).toEqual([
      ['h_quality', 'create', null, 'requested', operatorsCall],
      ['h_quality', 'update', 'answered', 'active', operatorsCall],
      ['h_quality', 'update', 'ended', 'ended', operatorsCall],
    ]);
  });

  it('closes the session when the telephony ends the leg (the monitored call ended), and keeps a failed placement on record', async () => {
    const started = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.admin, body: { callId: operatorsCall, mode: 'barge' } });
    expect(started.status).toBe(201);
    placer.placed.at(-1)?.endFromTelephony({ reason: 'call_ended' });
    const row = await eventually(() => session(started.body.id), (r) => r?.state === 'ended');
    expect(row).toMatchObject({ state: 'ended', end_reason: 'call_ended' });

    placer.failNext = new AppError('NO_DEVICE', 'Irina Sokolova has no registered phone');
    const failed = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.admin, body: { callId: operatorsCall, mode: 'listen' } });
    expect(failed.status).toBe(409);
    expect(failed.body.error.code).toBe('NO_DEVICE');
    const rows = await h.db.query("SELECT end_reason, end_detail, duration_ms FROM monitoring_sessions WHERE state = 'ended' AND end_reason = 'failed'");
    expect(rows.rows).toEqual([{ end_reason: 'failed', end_detail: 'NO_DEVICE: Irina Sokolova has no registered phone', duration_ms: 0 }]);
  });

  it('refuses a call that is not live, and nobody monitors their own call', async () => {
    const gone = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.admin, body: { callId: randomUUID(), mode: 'listen' } });
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('CALL_NOT_LIVE');
    // The admin's account linked to Olga, on a call of her own: nobody monitors their own call, admins included.
    const olgaCall = await connectCall(acd, 'operators', String(staff.get('Olga Smirnova')), '+74951000009');
    await h.call('PATCH', `/api/users/${users.get('admin')}`, { token: h.tokens.admin, body: { staffId: staff.get('Olga Smirnova') } });
    try {
      const own = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.admin, body: { callId: olgaCall, mode: 'listen' } });
      expect(own.status).toBe(403);
      expect(own.body.error.message).toMatch(/own call/);
    } finally {
      await h.call('PATCH', `/api/users/${users.get('admin')}`, { token: h.tokens.admin, body: { staffId: staff.get('Irina Sokolova') } });
    }
  });

  it('lists sessions: admins every one (and can filter), others only their own', async () => {
    const all = await h.call<{ items: Array<{ supervisorName: string; durationSeconds: number | null; state: string }> }>('GET', '/api/call-monitoring/sessions', { token: h.tokens.admin });
    expect(new Set(all.body.items.map((s) => s.supervisorName))).toEqual(new Set(['h_supervisor', 'h_quality', 'admin']));
    expect(all.body.items.every((s) => s.state === 'ended' && s.durationSeconds !== null)).toBe(true);
    const mine = await h.call<{ items: Array<{ supervisorName: string }> }>('GET', '/api/call-monitoring/sessions', { token: h.tokens.supervisor });
    expect(mine.body.items.map((s) => s.supervisorName)).toEqual(['h_supervisor']);
    const theirs = await h.call('GET', `/api/call-monitoring/sessions?supervisorUserId=${users.get('h_quality')}`, { token: h.tokens.supervisor });
    expect(theirs.status).toBe(403);
    const byAdmin = await h.call<{ items: unknown[] }>('GET', `/api/call-monitoring/sessions?supervisorUserId=${users.get('h_quality')}&active=false`, { token: h.tokens.admin });
    expect(byAdmin.body.items).toHaveLength(1);
    const byAgent = await h.call<{ items: Array<{ agentName: string }> }>('GET', `/api/call-monitoring/sessions?agentId=${staff.get('Ion Popescu')}`, { token: h.tokens.admin });
    expect(byAgent.body.items.map((s) => s.agentName)).toEqual(['Ion Popescu']);
  });
});

describe('call monitoring API without the SIP side', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('says so: capabilities unavailable, and starting answers 503 DEPENDENCY_DOWN', async () => {
    const caps = await h.call('GET', '/api/call-monitoring/capabilities', { token: h.tokens.supervisor });
    expect(caps.body).toMatchObject({ available: false, supportedModes: [], allowedModes: [] });
    const start = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.supervisor, body: { callId: randomUUID(), mode: 'listen' } });
    expect(start.status).toBe(503);
    expect(start.body.error).toMatchObject({ code: 'DEPENDENCY_DOWN', message: expect.stringMatching(/SIP and media side/) });
  });
});

describe('call monitoring API under a stricter site policy (environment)', () => {
  let h: ApiHarness;
  const placer = new MonitorLegPlacerDouble();
  let callId: string;

  beforeAll(async () => {
    h = await startApiHarness({
      demo: true, acd: true, monitorLegs: placer,
      env: { CALL_MONITORING_ANNOUNCE: 'tone', CALL_MONITORING_QUALITY_MAY_WHISPER: 'true', CALL_MONITORING_UNASSIGNED_SUPERVISORS_SEE_ALL: 'false' },
    });
    const staff = new Map((await h.db.query<{ id: number; full_name: string }>('SELECT id, full_name FROM staff')).rows.map((r) => [r.full_name, r.id]));
    const users = new Map((await h.call<Array<{ id: number; username: string }>>('GET', '/api/users', { token: h.tokens.admin })).body.map((u) => [u.username, u.id]));
    await h.call('PATCH', `/api/users/${users.get('h_quality')}`, { token: h.tokens.admin, body: { staffId: staff.get('Svetlana Belova') } });
    await h.call('PATCH', `/api/users/${users.get('h_supervisor')}`, { token: h.tokens.admin, body: { staffId: staff.get('Dmitri Lebedev') } });
    callId = await connectCall(h.acd as Acd, 'operators', String(staff.get('Anna Petrova')), '+74951000001');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('keeps a supervisor assigned to no queue out, lets quality whisper (never barge), and has the parties told by a tone', async () => {
    const caps = await h.call('GET', '/api/call-monitoring/capabilities', { token: h.tokens.supervisor });
    expect(caps.body).toMatchObject({ queues: [], policy: { unassignedSupervisorsSeeAllQueues: false, announce: 'tone', qualityMayWhisper: true } });
    const supervisor = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.supervisor, body: { callId, mode: 'listen' } });
    expect(supervisor.status).toBe(403);

    expect((await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.quality, body: { callId, mode: 'barge' } })).status).toBe(403);
    const whisper = await h.call('POST', '/api/call-monitoring/sessions', { token: h.tokens.quality, body: { callId, mode: 'whisper' } });
    expect(whisper.status).toBe(201);
    expect(placer.placed.map((p) => [p.request.mode, p.request.announce])).toEqual([['whisper', true]]);
    expect((await h.call('DELETE', `/api/call-monitoring/sessions/${whisper.body.id}`, { token: h.tokens.quality })).body.state).toBe('ended');
  });
});
