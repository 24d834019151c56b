import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '../../../src/db/demo-seed';
import { voicemailStore } from '../../../src/db/repositories/voicemails-repository';
import { encodeStereoWav } from '../../../src/media/wav-writer';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

/**
 * Voicemail and the abandoned-calls list over real HTTP and Postgres (issue
 * 17 points 3 and 4): the store the call sessions write, who may list, play
 * and close which message, and an abandoned call worked until it leaves the
 * list.
 */
describe('voicemail and abandoned calls, store and API rights', () => {
  let h: ApiHarness;
  const tokens: Record<string, string> = {};
  const staff: Record<string, number> = {};
  let dir: string;

  async function insertCall(id: string, row: { number: string; queue?: string | null; outcome: string; startedAt?: Date; direction?: string; dialed?: string | null }): Promise<void> {
    const startedAt = row.startedAt ?? new Date();
    await h.db.query(
      `INSERT INTO calls (id, direction, caller_number, caller_e164, dialed_number, started_at, ended_at, queue_name, outcome, hangup_side, answered_at, agent_answered_at)
       VALUES ($1, $2, $3, $3, $4, $5, $5::timestamptz + interval '30 seconds', $6, $7, 'caller', $5,
               CASE WHEN $7 = 'answered' THEN $5::timestamptz + interval '10 seconds' END)`,
      [id, row.direction ?? 'inbound', row.number, row.dialed ?? null, startedAt, row.queue ?? null, row.outcome],
    );
  }

  /** A message as a call session leaves it: the row at once, the call and its recording when the call ends. */
  async function leaveMessage(owner: { kind: 'queue'; queue: string } | { kind: 'staff'; staffId: number }, options: { callEnded?: boolean } = {}): Promise<string> {
    const id = randomUUID();
    const callId = randomUUID();
    const recordingId = randomUUID();
    await voicemailStore(h.db).add({
      id, callId, recordingId, offsetMs: 0, callerNumber: '+74951000001', clientId: null, owner, recordedAt: new Date(), durationMs: 3000, endedBy: 'hash',
    });
    if (options.callEnded === false) return id;
    await insertCall(callId, { number: '+74951000001', queue: owner.kind === 'queue' ? owner.queue : 'direct', outcome: 'overflowed' });
    const file = path.join(dir, `${callId}.wav`);
    const tone = Int16Array.from({ length: 8000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    const wav = encodeStereoWav(tone, new Int16Array(8000), 8000);
    writeFileSync(file, wav);
    await h.db.query('INSERT INTO recordings (id, call_id, file_path, duration_ms, size_bytes) VALUES ($1, $2, $3, 1000, $4)', [recordingId, callId, file, wav.length]);
    return id;
  }

  beforeAll(async () => {
    h = await startApiHarness({ demo: true });
    for (const name of ['anna', 'ion', 'olga', 'svetlana', 'supervisor']) {
      tokens[name] = (await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: name, password: DEMO_PASSWORD } })).body.token;
    }
    for (const r of (await h.db.query<{ id: number; sip_username: string }>('SELECT id, sip_username FROM staff')).rows) staff[r.sip_username] = r.id;
    dir = mkdtempSync(path.join(os.tmpdir(), 'voicemail-audio-'));
  });

  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a queue's message is listed, played and closed by its members and supervisors; an operator of another queue cannot list, play or close it", async () => {
    const id = await leaveMessage({ kind: 'queue', queue: 'operators' });
    const anna = await h.call('GET', '/api/voicemails', { token: tokens.anna });
    expect(anna.status).toBe(200);
    expect(anna.body.items.map((m: { id: string }) => m.id)).toContain(id);
    expect(anna.body.items.find((m: { id: string }) => m.id === id)).toMatchObject({ owner: { kind: 'queue', queue: 'operators' }, callerNumber: '+74951000001', playable: true, doneAt: null });
    expect(anna.body.open).toBeGreaterThanOrEqual(1);
    expect((await h.call('GET', '/api/voicemails', { token: tokens.supervisor })).body.items.map((m: { id: string }) => m.id)).toContain(id);

    // Svetlana works quality control only.
    expect((await h.call('GET', '/api/voicemails', { token: tokens.svetlana })).body.items.map((m: { id: string }) => m.id)).not.toContain(id);
    expect((await h.call('GET', `/api/voicemails/${id}/audio`, { token: tokens.svetlana })).status).toBe(403);
    expect((await h.call('POST', `/api/voicemails/${id}/done`, { token: tokens.svetlana, body: { done: true } })).status).toBe(403);

    const audio = await fetch(`${h.baseUrl}/api/voicemails/${id}/audio`, { headers: { Authorization: `Bearer ${tokens.anna}` } });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect((await h.call('GET', `/api/voicemails/${id}/audio`, { token: null })).status).toBe(401);

    const done = await h.call('POST', `/api/voicemails/${id}/done`, { token: tokens.olga, body: { done: true } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id, doneBy: staff.olga, doneByName: 'Olga Smirnova' });
    expect(done.body.doneAt).not.toBeNull();
    // Closed: off the open list, on the full one with who closed it.
    expect((await h.call('GET', '/api/voicemails', { token: tokens.anna })).body.items.map((m: { id: string }) => m.id)).not.toContain(id);
    const all = await h.call('GET', '/api/voicemails?includeDone=true', { token: tokens.anna });
    expect(all.body.items.find((m: { id: string }) => m.id === id)).toMatchObject({ doneBy: staff.olga });
  });

  it("a person's message is theirs alone; its audio is not there until the call ends (409), and gone after the retention (410)", async () => {
    const id = await leaveMessage({ kind: 'staff', staffId: staff.anna! });
    expect((await h.call('GET', '/api/voicemails', { token: tokens.anna })).body.items.map((m: { id: string }) => m.id)).toContain(id);
    for (const other of ['olga', 'supervisor']) {
      expect((await h.call('GET', '/api/voicemails', { token: tokens[other] })).body.items.map((m: { id: string }) => m.id)).not.toContain(id);
      expect((await h.call('GET', `/api/voicemails/${id}/audio`, { token: tokens[other] })).status).toBe(403);
    }
    const pending = await leaveMessage({ kind: 'staff', staffId: staff.anna! }, { callEnded: false });
    expect((await h.call('GET', '/api/voicemails', { token: tokens.anna })).body.items.find((m: { id: string }) => m.id === pending)).toMatchObject({ playable: false, purged: false });
    expect((await h.call('GET', `/api/voicemails/${pending}/audio`, { token: tokens.anna })).status).toBe(409);

    await h.db.query('UPDATE recordings SET purged_at = now() WHERE id = (SELECT recording_id FROM voicemails WHERE id = $1)', [id]);
    expect((await h.call('GET', `/api/voicemails/${id}/audio`, { token: tokens.anna })).status).toBe(410);
    expect((await h.call('GET', '/api/voicemails/00000000-0000-4000-8000-000000000000/audio', { token: tokens.anna })).status).toBe(404);
  });

  it('an abandoned call is listed for its queue until a call-back reaches the caller; another queue\'s operator can neither see nor work it', async () => {
    const abandoned = randomUUID();
    await insertCall(abandoned, { number: '+74951777001', queue: 'operators', outcome: 'abandoned_queue', startedAt: new Date(Date.now() - 300_000) });
    // Not abandoned, or no number to call: never listed.
    await insertCall(randomUUID(), { number: '+74951777002', queue: 'operators', outcome: 'answered' });

    const listed = await h.call('GET', '/api/abandoned-calls', { token: tokens.anna });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject([{ callId: abandoned, queue: 'operators', callerNumber: '+74951777001', times: 1, attempts: [] }]);
    expect((await h.call('GET', '/api/abandoned-calls?queue=operators', { token: tokens.supervisor })).body).toHaveLength(1);
    expect((await h.call('GET', '/api/abandoned-calls', { token: tokens.svetlana })).body).toEqual([]);
    expect((await h.call('GET', '/api/abandoned-calls?queue=operators', { token: tokens.svetlana })).status).toBe(403);
    expect((await h.call('POST', `/api/abandoned-calls/${abandoned}/callbacks`, { token: tokens.svetlana, body: { result: 'reached' } })).status).toBe(403);

    const noAnswer = await h.call('POST', `/api/abandoned-calls/${abandoned}/callbacks`, { token: tokens.ion, body: { result: 'no_answer' } });
    expect(noAnswer.status).toBe(200);
    expect(noAnswer.body).toMatchObject({ result: 'no_answer', staffId: staff.ion });
    expect((await h.call('GET', '/api/abandoned-calls', { token: tokens.anna })).body).toMatchObject([{ callId: abandoned, attempts: [{ result: 'no_answer', staffId: staff.ion }] }]);

    expect((await h.call('POST', `/api/abandoned-calls/${abandoned}/callbacks`, { token: tokens.anna, body: { result: 'reached' } })).status).toBe(200);
    expect((await h.call('GET', '/api/abandoned-calls', { token: tokens.anna })).body).toEqual([]);
    expect((await h.call('POST', `/api/abandoned-calls/${randomUUID()}/callbacks`, { token: tokens.anna, body: { result: 'reached' } })).status).toBe(404);
  });

  it('a caller who abandoned and then got through is off the list without a call-back', async () => {
    const number = '+74951777010';
    await insertCall(randomUUID(), { number, queue: 'operators', outcome: 'abandoned_queue', startedAt: new Date(Date.now() - 600_000) });
    expect((await h.call('GET', '/api/abandoned-calls', { token: tokens.anna })).body.map((e: { callerNumber: string }) => e.callerNumber)).toContain(number);
    await insertCall(randomUUID(), { number, queue: 'operators', outcome: 'answered' });
    expect((await h.call('GET', '/api/abandoned-calls', { token: tokens.anna })).body.map((e: { callerNumber: string }) => e.callerNumber)).not.toContain(number);
  });
});
