import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { loadQualityFixture, type QualityFixture } from './quality-fixture';

interface CallItem { callId: string; startedAt: string; queue: string | null; agentId: number | null; agentName: string | null; talkSeconds: number; disposition: string | null; tags: string[]; hasRecording: boolean; evaluations: number }
interface Evaluation {
  id: number; callId: string; form: string; formVersion: number; formName: string; agentId: number | null; agentName: string | null;
  evaluatorUserId: number | null; evaluatorName: string; createdAt: string; updatedAt: string;
  scores: Array<{ criterionId: string; label: string; weight: number; maxScore: number; score: number; note: string | null }>;
  comments: Array<{ id: number; atSeconds: number; text: string; authorName: string; createdAt: string }>;
  summary: string | null; totalPercent: number; passed: boolean; criticalFailed: boolean; acknowledgedAt: string | null;
}

/** Scores for the demo form 'standard' (weights 10, 20, 20, 20, 15, 10, 5; every max 5 but no_rudeness 1). */
const standard = (s: { greeting: number; needs: number; product: number; order: number; politeness: number; closing: number; rude: number }): Array<{ criterionId: string; score: number }> => [
  { criterionId: 'greeting', score: s.greeting }, { criterionId: 'needs_identified', score: s.needs }, { criterionId: 'product_knowledge', score: s.product },
  { criterionId: 'order_entry', score: s.order }, { criterionId: 'politeness', score: s.politeness }, { criterionId: 'closing', score: s.closing },
  { criterionId: 'no_rudeness', score: s.rude },
];

describe('quality evaluation API (issue 18 point 4; real Postgres, real HTTP)', () => {
  let h: ApiHarness;
  let f: QualityFixture;
  let annaToken: string;
  let ionToken: string;
  const week1 = 'from=2025-03-03T00:00:00Z&to=2025-03-04T00:00:00Z';
  /** The first evaluation (a2's), as the evaluation tests leave it. */
  let first: Evaluation;

  const login = async (username: string, staffId: number): Promise<string> => {
    const created = await h.call('POST', '/api/users', { token: h.tokens.admin, body: { username, password: `${username}-password`, role: 'operator', staffId } });
    expect(created.status).toBe(201);
    return (await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username, password: `${username}-password` } })).body.token;
  };
  const calls = async (query: string, token = h.tokens.quality): Promise<CallItem[]> => {
    const res = await h.call<{ items: CallItem[]; nextCursor: string | null }>('GET', `/api/quality/calls?${query}`, { token });
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const names = (items: CallItem[]): string[] => items.map((i) => Object.entries(f.calls).find(([, c]) => c.id === i.callId)![0]).sort();
  const evaluate = async (call: string, scores: ReturnType<typeof standard>, extra: Record<string, unknown> = {}, token = h.tokens.quality) =>
    h.call('POST', '/api/quality/evaluations', { token, body: { callId: f.calls[call]!.id, form: 'standard', formVersion: 1, scores, comments: [], ...extra } });

  beforeAll(async () => {
    h = await startApiHarness();
    f = await loadQualityFixture(h.db);
    annaToken = await login('anna_op', f.anna);
    ionToken = await login('ion_op', f.ion);
  });
  afterAll(async () => {
    f?.remove();
    await h?.close();
  });

  describe('forms, versioned like IVR flows', () => {
    it('lists the published demo form to reviewers, with its criteria and one critical', async () => {
      const list = await h.call('GET', '/api/quality/forms', { token: h.tokens.quality });
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([{ code: 'standard', name: 'Standard call review', publishedVersion: 1, draftVersion: null }]);
      const published = await h.call('GET', '/api/quality/forms/standard/published', { token: h.tokens.quality });
      expect(published.status).toBe(200);
      expect(published.body.document.criteria.map((c: { id: string }) => c.id)).toEqual(['greeting', 'needs_identified', 'product_knowledge', 'order_entry', 'politeness', 'closing', 'no_rudeness']);
      expect(published.body.document.criteria.filter((c: { critical?: boolean }) => c.critical).map((c: { label: string }) => c.label)).toEqual(['No rudeness']);
    });

    it('takes an admin\'s draft, refuses an invalid one naming the path, publishes and rolls back; reviewers may only read', async () => {
      const document = {
        name: 'Complaints review', passMark: 75,
        criteria: [{ id: 'empathy', label: 'Empathy', weight: 2, maxScore: 5 }, { id: 'resolution', label: 'Resolution offered', weight: 3, maxScore: 5, critical: true }],
      };
      const duplicate = { ...document, criteria: [...document.criteria, { id: 'empathy', label: 'Empathy again', weight: 1, maxScore: 3 }] };
      const refused = await h.call('POST', '/api/quality/forms/complaints/versions', { token: h.tokens.admin, body: { document: duplicate } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([{ path: 'criteria[2].id', message: "duplicate criterion id 'empathy' (also criteria[0])" }]);
      const zeroWeight = await h.call('POST', '/api/quality/forms/complaints/validate', { token: h.tokens.quality, body: { document: { ...document, passMark: 120 } } });
      expect(zeroWeight.body).toEqual({ ok: false, errors: [expect.objectContaining({ path: 'passMark' })] });

      expect((await h.call('POST', '/api/quality/forms/complaints/versions', { token: h.tokens.quality, body: { document } })).status).toBe(403);
      const v1 = await h.call('POST', '/api/quality/forms/complaints/versions', { token: h.tokens.admin, body: { document, comment: 'first' } });
      expect(v1.status).toBe(201);
      expect(v1.body).toMatchObject({ version: 1, status: 'draft' });
      expect((await h.call('GET', '/api/quality/forms', { token: h.tokens.supervisor })).body.items).toContainEqual({ code: 'complaints', name: 'Complaints review', publishedVersion: null, draftVersion: 1 });
      expect((await h.call('POST', '/api/quality/forms/complaints/versions/1/publish', { token: h.tokens.quality })).status).toBe(403);
      expect((await h.call('POST', '/api/quality/forms/complaints/versions/1/publish', { token: h.tokens.admin })).body).toMatchObject({ version: 1, status: 'published' });
      const v2 = await h.call('POST', '/api/quality/forms/complaints/versions', { token: h.tokens.admin, body: { document: { ...document, passMark: 90 } } });
      expect((await h.call('POST', `/api/quality/forms/complaints/versions/${v2.body.version}/publish`, { token: h.tokens.admin })).body).toMatchObject({ version: 2, status: 'published' });
      const rolledBack = await h.call('POST', '/api/quality/forms/complaints/rollback', { token: h.tokens.admin, body: { version: 1 } });
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body).toMatchObject({ version: 3, status: 'published', document: { passMark: 75 } });
      const versions = await h.call('GET', '/api/quality/forms/complaints/versions', { token: h.tokens.quality });
      expect(versions.body.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[3, 'published'], [2, 'archived'], [1, 'archived']]);
    });
  });

  describe('the call picker', () => {
    it('lists answered calls with a playable recording only, newest first, with the evaluated agent and the tags', async () => {
      const items = await calls(week1);
      expect(items.map((i) => i.startedAt)).toEqual([...items.map((i) => i.startedAt)].sort().reverse());
      expect(names(items)).toEqual(['a1', 'a2', 'a3', 'a4', 'i1', 'i2', 'i3']);
      expect(items.find((i) => i.callId === f.calls.a3!.id)).toEqual({
        callId: f.calls.a3!.id, startedAt: '2025-03-03T09:20:00.000Z', queue: 'regional', agentId: f.anna, agentName: 'Anna Petrova', talkSeconds: 90,
        disposition: 'enquiry_answered', tags: ['complaint', 'enquiry_answered'], hasRecording: true, evaluations: 0,
      });
    });

    it('filters by queue, agent, complaint tag (the call\'s code or a wrap-up\'s) and talk length, combined', async () => {
      expect(names(await calls(`${week1}&queue=regional`))).toEqual(['a3', 'i2', 'i3']);
      expect(names(await calls(`${week1}&agentId=${f.ion}`))).toEqual(['i1', 'i2', 'i3']);
      expect(names(await calls(`${week1}&tag=complaint`))).toEqual(['a2', 'a3', 'i1']);
      expect(names(await calls(`${week1}&minSeconds=60&maxSeconds=240`))).toEqual(['a2', 'a3', 'i2']);
      expect(names(await calls(`${week1}&tag=complaint&agentId=${f.anna}&maxSeconds=100`))).toEqual(['a3']);
      expect(names(await calls('tag=complaint'))).toEqual(['a2', 'a3', 'i1']);
      expect((await h.call('GET', '/api/quality/calls?minSeconds=100&maxSeconds=10', { token: h.tokens.quality })).status).toBe(400);
    });

    it('pages with a cursor like the call log', async () => {
      const first = await h.call<{ items: CallItem[]; nextCursor: string | null }>('GET', `/api/quality/calls?${week1}&limit=4`, { token: h.tokens.quality });
      expect(first.body.items).toHaveLength(4);
      const second = await h.call<{ items: CallItem[]; nextCursor: string | null }>('GET', `/api/quality/calls?${week1}&limit=4&cursor=${first.body.nextCursor}`, { token: h.tokens.quality });
      expect(second.body.nextCursor).toBeNull();
      expect(names([...first.body.items, ...second.body.items])).toEqual(names(await calls(week1)));
    });

    it('draws a random sample of the size asked, always inside the filter, differing between draws', async () => {
      const allowed = new Set((await calls(`${week1}&minSeconds=30`)).map((i) => i.callId));
      expect(allowed.size).toBe(6);
      const draws = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const res = await h.call<{ items: CallItem[]; nextCursor: string | null }>('GET', `/api/quality/calls?${week1}&minSeconds=30&sample=2`, { token: h.tokens.quality });
        expect(res.body.nextCursor).toBeNull();
        const ids = res.body.items.map((c) => c.callId);
        expect(new Set(ids).size).toBe(2);
        for (const id of ids) expect(allowed.has(id)).toBe(true);
        draws.add([...ids].sort().join(','));
      }
      // 15 possible pairs: 20 identical uniform draws would happen with probability 15^-19.
      expect(draws.size).toBeGreaterThan(1);
      expect(await calls(`${week1}&minSeconds=30&sample=50`)).toHaveLength(6);
    });
  });

  describe('evaluations', () => {

    it('scores a call with the weighted total visible in the answer, the call\'s agent as the one evaluated', async () => {
      // (10·5/5 + 20·4/5 + 20·3/5 + 20·5/5 + 15·4/5 + 10·2/5 + 5·1/1) / 100 = 10 + 16 + 12 + 20 + 12 + 4 + 5 = 79.0: under the pass mark 80.
      const res = await evaluate('a2', standard({ greeting: 5, needs: 4, product: 3, order: 5, politeness: 4, closing: 2, rude: 1 }), {
        comments: [{ atSeconds: 12.5, text: 'did not give her name' }, { atSeconds: 245, text: 'ended abruptly' }], summary: 'rushed',
      });
      expect(res.status).toBe(201);
      first = res.body;
      expect(first).toMatchObject({
        callId: f.calls.a2!.id, form: 'standard', formVersion: 1, formName: 'Standard call review', agentId: f.anna, agentName: 'Anna Petrova',
        evaluatorName: 'h_quality', summary: 'rushed', totalPercent: 79, passed: false, criticalFailed: false, acknowledgedAt: null,
      });
      expect(first.scores[0]).toEqual({ criterionId: 'greeting', label: 'Greeting', weight: 10, maxScore: 5, score: 5, note: null });
      expect(first.comments.map((c) => [c.atSeconds, c.text, c.authorName])).toEqual([[12.5, 'did not give her name', 'h_quality'], [245, 'ended abruptly', 'h_quality']]);
      expect((await calls(`${week1}&evaluated=true`)).map((i) => [i.callId, i.evaluations])).toEqual([[f.calls.a2!.id, 1]]);
      expect(names(await calls(`${week1}&evaluated=false`))).toEqual(['a1', 'a3', 'a4', 'i1', 'i2', 'i3']);
    });

    it('fails a call with a 0 on the critical criterion whatever the total', async () => {
      // 10·3/5 + 20 + 20 + 20 + 15 + 10 + 0 = 91.0, but rude.
      const res = await evaluate('a1', standard({ greeting: 3, needs: 5, product: 5, order: 5, politeness: 5, closing: 5, rude: 0 }));
      expect(res.body).toMatchObject({ totalPercent: 91, passed: false, criticalFailed: true });
    });

    it('refuses a criterion left out, a score above its maximum, a comment past the recording\'s end, and a draft form version', async () => {
      const full = standard({ greeting: 5, needs: 5, product: 5, order: 5, politeness: 5, closing: 5, rude: 1 });
      const missing = await evaluate('i1', full.slice(0, 6));
      expect(missing.status).toBe(400);
      expect(missing.body.error.details).toEqual([{ path: 'scores', message: "criterion 'no_rudeness' (No rudeness) is not scored" }]);
      const tooHigh = await evaluate('i1', [...full.slice(0, 6), { criterionId: 'no_rudeness', score: 2 }]);
      expect(tooHigh.body.error.details).toEqual([{ path: 'scores[6].score', message: 'must be a whole number from 0 to 1; got 2' }]);
      // i1's recording is 50 s long.
      const late = await evaluate('i1', full, { comments: [{ atSeconds: 50.5, text: 'after the end' }] });
      expect(late.status).toBe(400);
      expect(late.body.error.details).toEqual([{ path: 'comments[0].atSeconds', message: 'must be within the recording, 0 to 50 s; got 50.5' }]);
      const draft = await h.call('POST', '/api/quality/forms/standard/versions', { token: h.tokens.admin, body: { document: (await h.call('GET', '/api/quality/forms/standard/published', { token: h.tokens.admin })).body.document } });
      expect((await evaluate('i1', full, { formVersion: draft.body.version })).status).toBe(409);
      expect((await evaluate('x_norec', full)).status).toBe(409);
      expect((await h.call('GET', '/api/quality/evaluations', { token: h.tokens.quality })).body.items).toHaveLength(2);
    });

    it('comments at moments of the recording, refusing one outside it', async () => {
      const added = await h.call('POST', `/api/quality/evaluations/${first.id}/comments`, { token: h.tokens.supervisor, body: { atSeconds: 100, text: 'good recovery here' } });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ atSeconds: 100, text: 'good recovery here', authorName: 'h_supervisor' });
      const outside = await h.call('POST', `/api/quality/evaluations/${first.id}/comments`, { token: h.tokens.quality, body: { atSeconds: 300, text: 'nothing here' } });
      expect(outside.status).toBe(400);
      expect(outside.body.error.details).toEqual([{ path: 'atSeconds', message: 'must be within the recording, 0 to 245 s; got 300' }]);
      const read = await h.call<Evaluation>('GET', `/api/quality/evaluations/${first.id}`, { token: h.tokens.quality });
      expect(read.body.comments.map((c) => c.atSeconds)).toEqual([12.5, 100, 245]);
    });

    it('is rescored by its evaluator (or an admin) only; unchanged comments keep their author', async () => {
      // closing 2 → 5: 79 + 10·3/5 = 85.0, passed.
      const body = {
        form: 'standard', formVersion: 1, scores: standard({ greeting: 5, needs: 4, product: 3, order: 5, politeness: 4, closing: 5, rude: 1 }),
        comments: [{ atSeconds: 12.5, text: 'did not give her name' }, { atSeconds: 100, text: 'good recovery here' }], summary: 'rushed, but closed well',
      };
      expect((await h.call('PUT', `/api/quality/evaluations/${first.id}`, { token: h.tokens.supervisor, body })).status).toBe(403);
      const res = await h.call<Evaluation>('PUT', `/api/quality/evaluations/${first.id}`, { token: h.tokens.quality, body });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ totalPercent: 85, passed: true, criticalFailed: false, summary: 'rushed, but closed well' });
      expect(res.body.comments.map((c) => [c.atSeconds, c.authorName])).toEqual([[12.5, 'h_quality'], [100, 'h_supervisor']]);
      first = res.body;
    });
  });

  describe('agents see their own evaluations, and nothing else of quality', () => {
    beforeAll(async () => {
      const ion = await evaluate('i1', standard({ greeting: 5, needs: 5, product: 5, order: 5, politeness: 5, closing: 5, rude: 1 }));
      expect(ion.body.totalPercent).toBe(100);
    });

    it('lists an operator\'s own evaluations only, and lets them acknowledge those', async () => {
      const anna = await h.call<{ items: Evaluation[] }>('GET', '/api/my/evaluations', { token: annaToken });
      expect(anna.status).toBe(200);
      expect(anna.body.items.map((e) => e.callId).sort()).toEqual([f.calls.a1!.id, f.calls.a2!.id].sort());
      const ion = await h.call<{ items: Evaluation[] }>('GET', '/api/my/evaluations', { token: ionToken });
      expect(ion.body.items.map((e) => e.callId)).toEqual([f.calls.i1!.id]);
      const ionsId = ion.body.items[0]!.id;
      const annasId = anna.body.items[0]!.id;
      expect((await h.call('GET', `/api/quality/evaluations/${annasId}`, { token: annaToken })).status).toBe(200);
      expect((await h.call('GET', `/api/quality/evaluations/${ionsId}`, { token: annaToken })).status).toBe(403);
      expect((await h.call('POST', `/api/my/evaluations/${ionsId}/acknowledge`, { token: annaToken })).status).toBe(404);
      const acknowledged = await h.call<Evaluation>('POST', `/api/my/evaluations/${annasId}/acknowledge`, { token: annaToken });
      expect(acknowledged.status).toBe(200);
      expect(acknowledged.body.acknowledgedAt).toEqual(expect.any(String));
      // An operator account without a staff member has no calls, so no evaluations.
      expect((await h.call('GET', '/api/my/evaluations', { token: h.tokens.operator })).status).toBe(409);
    });

    it('gives an operator 403 on every reviewer route, and the quality role 403 on its own-evaluations route', async () => {
      for (const [method, path, body] of [
        ['GET', '/api/quality/forms'], ['GET', '/api/quality/forms/standard/published'], ['GET', '/api/quality/calls'], ['GET', '/api/quality/evaluations'],
        ['GET', '/api/quality/reports'], ['POST', '/api/quality/evaluations', { callId: f.calls.a4!.id, form: 'standard', formVersion: 1, scores: [], comments: [] }],
        ['POST', `/api/quality/evaluations/${first.id}/comments`, { atSeconds: 1, text: 'x' }],
      ] as const) {
        expect({ method, path, status: (await h.call(method, path, { token: annaToken, ...(body ? { body } : {}) })).status }).toEqual({ method, path, status: 403 });
      }
      expect((await h.call('GET', '/api/my/evaluations', { token: h.tokens.quality })).status).toBe(403);
    });
  });

  describe('listening and the call log', () => {
    it('lets the quality role read the whole call log, a call\'s record and its recording; an operator not the recording', async () => {
      const log = await h.call<{ items: Array<{ callId: string }> }>('GET', `/api/call-log?${week1}&limit=500`, { token: h.tokens.quality });
      expect(log.status).toBe(200);
      expect(log.body.items.map((i) => i.callId)).toEqual(expect.arrayContaining([f.calls.a1!.id, f.calls.i1!.id, f.calls.x_norec!.id]));
      const call = await h.call('GET', `/api/calls/${f.calls.i2!.id}`, { token: h.tokens.quality });
      expect(call.status).toBe(200);
      expect(call.body.recording.id).toBe(f.calls.i2!.recordingId);
      const audio = await fetch(`${h.baseUrl}/api/recordings/${f.calls.i2!.recordingId}/audio`, { headers: { authorization: `Bearer ${h.tokens.quality}` } });
      expect(audio.status).toBe(200);
      expect(audio.headers.get('content-type')).toBe('audio/wav');
      expect(Buffer.from(await audio.arrayBuffer()).equals(f.wav)).toBe(true);
      const ranged = await fetch(`${h.baseUrl}/api/recordings/${f.calls.i2!.recordingId}/audio`, { headers: { authorization: `Bearer ${h.tokens.quality}`, range: 'bytes=0-3' } });
      expect(ranged.status).toBe(206);
      expect(Buffer.from(await ranged.arrayBuffer()).toString('latin1')).toBe('RIFF');
      expect((await h.call('GET', `/api/recordings/${f.calls.a1!.recordingId}/audio`, { token: annaToken })).status).toBe(403);
    });
  });

  describe('reports', () => {
    it('averages per agent and week of the calls, per criterion, matching the hand-computed figures', async () => {
      // Anna's second week: 4/5 everywhere and not rude: 0.8 · 95 + 5 = 81.0, passed.
      expect((await evaluate('a5', standard({ greeting: 4, needs: 4, product: 4, order: 4, politeness: 4, closing: 4, rude: 1 }))).body.totalPercent).toBe(81);
      const res = await h.call('GET', '/api/quality/reports?from=2025-03-01T00:00:00Z&to=2025-03-20T00:00:00Z&form=standard&bucket=week', { token: h.tokens.quality });
      expect(res.status).toBe(200);
      const criteria = (values: number[]): Array<{ criterionId: string; averagePercentOfMax: number }> =>
        ['greeting', 'needs_identified', 'product_knowledge', 'order_entry', 'politeness', 'closing', 'no_rudeness'].map((criterionId, i) => ({ criterionId, averagePercentOfMax: values[i]! }));
      const shown = res.body.rows.map((r: { criteria: Array<{ criterionId: string; averagePercentOfMax: number }> }) => ({ ...r, criteria: r.criteria.map(({ criterionId, averagePercentOfMax }) => ({ criterionId, averagePercentOfMax })) }));
      expect(shown).toEqual([
        // Week of 3 March: a2 (85.0, passed) and a1 (91.0, critical fail): mean 88.0, half passed.
        // greeting (5 + 3)/10 = 80 %, needs (4 + 5)/10 = 90 %, product (3 + 5)/10 = 80 %, order 100 %, politeness (4 + 5)/10 = 90 %, closing 100 %, no rudeness (1 + 0)/2 = 50 %.
        { agentId: f.anna, agentName: 'Anna Petrova', bucketStart: '2025-03-03T00:00:00.000Z', evaluations: 2, averagePercent: 88, passRate: 0.5, criteria: criteria([80, 90, 80, 100, 90, 100, 50]) },
        { agentId: f.anna, agentName: 'Anna Petrova', bucketStart: '2025-03-10T00:00:00.000Z', evaluations: 1, averagePercent: 81, passRate: 1, criteria: criteria([80, 80, 80, 80, 80, 80, 100]) },
        { agentId: f.ion, agentName: 'Ion Popescu', bucketStart: '2025-03-03T00:00:00.000Z', evaluations: 1, averagePercent: 100, passRate: 1, criteria: criteria([100, 100, 100, 100, 100, 100, 100]) },
      ]);
      const onlyIon = await h.call('GET', `/api/quality/reports?agentId=${f.ion}&bucket=day`, { token: h.tokens.supervisor });
      expect(onlyIon.body.rows.map((r: { bucketStart: string; evaluations: number }) => [r.bucketStart, r.evaluations])).toEqual([['2025-03-03T00:00:00.000Z', 1]]);
    });
  });
});
