import Redis from 'ioredis';
import { ivrFlowStore, routingConfigStore } from '../../../src/db/config-stores';
import { createPool } from '../../../src/db/pool';
import { ConfigPublishedFeed, PublishedConfigCache } from '../../../src/db/published-config-cache';
import { isDeepFrozen } from '../../../src/platform/deep-freeze';
import { createRootLogger } from '../../../src/logger';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { ticketUrl } from '../../helpers/url-ticket';
import { wav } from '../../helpers/wav-builder';
import { eventually } from '../../helpers/eventually';

const OPEN = '2026-11-24T10:00:00+03:00';
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('versioned routing config and IVR flows (real HTTP, Postgres, Redis)', () => {
  let h: ApiHarness;
  let routingV1: any;
  let flowV1: any;
  beforeAll(async () => {
    h = await startApiHarness({ demo: true });
    routingV1 = (await h.call('GET', '/api/routing-config/published', { token: h.tokens.admin })).body;
    flowV1 = (await h.call('GET', '/api/ivr/flows/main/published', { token: h.tokens.admin })).body;
  });
  afterAll(async () => {
    await h.close();
  });

  describe('routing config', () => {
    it('refuses an invalid draft with every problem at its exact path, and saves nothing', async () => {
      const bad = clone(routingV1.document);
      const keyRule = bad.rules.findIndex((r: { id: string }) => r.id === 'key_client');
      bad.rules[keyRule].target.fallback = [{ kind: 'queue', queue: 'vip' }];
      const result = await h.call('POST', '/api/routing-config/versions', { token: h.tokens.admin, body: { document: bad } });
      expect(result.status).toBe(400);
      expect(result.body.error.code).toBe('VALIDATION_FAILED');
      expect(result.body.error.details).toContainEqual({ path: `rules[${keyRule}].target.fallback[0].queue`, message: "unknown queue 'vip'" });
      expect(result.body.error.message).toBe(`routing config is invalid: rules[${keyRule}].target.fallback[0].queue: unknown queue 'vip'`);
      const versions = await h.call('GET', '/api/routing-config/versions', { token: h.tokens.admin });
      expect(versions.body.map((v: { version: number }) => v.version)).toEqual([1]);
    });

    it('refuses a fallback chain that loops, naming where', async () => {
      const looping = clone(routingV1.document);
      const i = looping.rules.findIndex((r: { id: string }) => r.id === 'other_matter');
      looping.rules[i].target = { kind: 'person', staffId: 2, fallback: [{ kind: 'queue', queue: 'operators' }, { kind: 'person', staffId: 2 }] };
      const result = await h.call('POST', '/api/routing-config/validate', { token: h.tokens.supervisor, body: { document: looping } });
      expect(result.status).toBe(200);
      expect(result.body.ok).toBe(false);
      expect(result.body.errors.map((e: { path: string }) => e.path)).toContain(`rules[${i}].target.fallback[1]`);
      expect(JSON.stringify(result.body.errors)).toMatch(/loop/);
    });

    it('draft → edit → publish → rollback, every step audited and only admins may change', async () => {
      const draft = clone(routingV1.document);
      draft.priorityByClientType.market = 8;
      expect((await h.call('POST', '/api/routing-config/versions', { token: h.tokens.supervisor, body: { document: draft } })).status).toBe(403);
      const created = await h.call('POST', '/api/routing-config/versions', { token: h.tokens.admin, body: { document: draft, comment: 'markets first' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ version: 2, status: 'draft', comment: 'markets first', createdBy: 'admin' });
      draft.priorityByClientType.market = 7;
      const edited = await h.call('PUT', '/api/routing-config/versions/2', { token: h.tokens.admin, body: { document: draft } });
      expect(edited.body.document.priorityByClientType.market).toBe(7);

      const published = await h.call('POST', '/api/routing-config/versions/2/publish', { token: h.tokens.admin });
      expect(published.body).toMatchObject({ version: 2, status: 'published', publishedBy: 'admin' });
      const list = await h.call('GET', '/api/routing-config/versions', { token: h.tokens.supervisor });
      expect(list.body.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'published'], [1, 'archived']]);
      expect((await h.call('PUT', '/api/routing-config/versions/2', { token: h.tokens.admin, body: { document: draft } })).status).toBe(409);
      expect((await h.call('POST', '/api/routing-config/versions/1/publish', { token: h.tokens.admin })).status).toBe(409);

      const rolledBack = await h.call('POST', '/api/routing-config/rollback', { token: h.tokens.admin, body: { version: 1 } });
      expect(rolledBack.body).toMatchObject({ version: 3, status: 'published', comment: 'rollback to version 1' });
      expect(rolledBack.body.document).toEqual(routingV1.document);

      const audit = await h.call('GET', '/api/audit?entity=routing%20config', { token: h.tokens.admin });
      expect(audit.body.slice(0, 5).map((e: { action: string; entityId: string }) => [e.action, e.entityId])).toEqual([
        ['rollback', '3'], ['create', '3'], ['publish', '2'], ['update', '2'], ['create', '2'],
      ]);
    });

    it('re-validates at publish: a draft that was valid is refused once the directory lost what it names', async () => {
      const queue = await h.call('POST', '/api/queues', { token: h.tokens.admin, body: { name: 'temporary', label: 'Temporary' } });
      const doc = clone(routingV1.document);
      const i = doc.rules.findIndex((r: { id: string }) => r.id === 'second_line');
      doc.rules[i].target = { kind: 'queue', queue: 'temporary' };
      const draft = await h.call('POST', '/api/routing-config/versions', { token: h.tokens.admin, body: { document: doc } });
      expect(draft.status).toBe(201);
      await h.call('DELETE', `/api/queues/${queue.body.id}`, { token: h.tokens.admin });
      const publish = await h.call('POST', `/api/routing-config/versions/${draft.body.version}/publish`, { token: h.tokens.admin });
      expect(publish.status).toBe(400);
      expect(publish.body.error.details).toContainEqual({ path: `rules[${i}].target.queue`, message: "unknown queue 'temporary'" });
      expect((await h.call('GET', '/api/routing-config/published', { token: h.tokens.admin })).body.version).toBe(3);
    });
  });

  describe('IVR flows', () => {
    it('refuses a flow with a dangling node reference, pointing at the node', async () => {
      const bad = clone(flowV1.document);
      bad.nodes.main_menu.options['1'] = 'ordr';
      const result = await h.call('POST', '/api/ivr/flows/main/versions', { token: h.tokens.admin, body: { document: bad } });
      expect(result.status).toBe(400);
      expect(result.body.error.details).toContainEqual({ path: 'nodes.main_menu.options.1', message: "unknown node 'ordr'" });
    });

    it('refuses a flow playing a prompt that has no recording in an enabled language, and a flow saved under another name', async () => {
      const bad = clone(flowV1.document);
      bad.nodes.greeting.prompts = ['welcome_back'];
      const result = await h.call('POST', '/api/ivr/flows/main/validate', { token: h.tokens.admin, body: { document: bad } });
      expect(result.body.ok).toBe(false);
      expect(JSON.stringify(result.body.errors)).toMatch(/nodes\.greeting\.prompts\[0\]|welcome_back/);
      const renamed = await h.call('POST', '/api/ivr/flows/other/versions', { token: h.tokens.admin, body: { document: flowV1.document } });
      expect(renamed.status).toBe(400);
      expect(renamed.body.error.details).toEqual([{ path: 'name', message: "the document is flow 'main', saved under 'other'" }]);
    });

    it('a call in progress finishes on the versions it started with; the next call takes the new ones', async () => {
      const session = await h.call('POST', '/api/ivr/simulations', { token: h.tokens.admin, body: { callerNumber: '+74951000001', at: OPEN } });
      expect(session.status).toBe(201);
      expect(session.body).toMatchObject({ state: 'awaiting_input', flow: { version: 1 } });
      expect(session.body.path).toEqual(['greeting', 'hours', 'main_menu']);
      const routingAtStart = session.body.routing.version;

      // Mid-call: an order from a client without debt now goes to a person, and markets get another priority.
      const flow = clone(flowV1.document);
      flow.nodes.check_debt.otherwise = 'route_operator';
      const flowDraft = await h.call('POST', '/api/ivr/flows/main/versions', { token: h.tokens.admin, body: { document: flow } });
      expect(flowDraft.status).toBe(201);
      await h.call('POST', `/api/ivr/flows/main/versions/${flowDraft.body.version}/publish`, { token: h.tokens.admin });
      const routing = clone(routingV1.document);
      routing.priorityByClientType.market = 2;
      const routingDraft = await h.call('POST', '/api/routing-config/versions', { token: h.tokens.admin, body: { document: routing } });
      await h.call('POST', `/api/routing-config/versions/${routingDraft.body.version}/publish`, { token: h.tokens.admin });

      const finished = await h.call('POST', `/api/ivr/simulations/${session.body.id}/input`, { token: h.tokens.admin, body: { digits: '1' } });
      expect(finished.body).toMatchObject({ state: 'routed', flow: { version: 1 }, routing: { version: routingAtStart }, choice: { intent: 'order' } });
      expect(finished.body.path).toEqual(['greeting', 'hours', 'main_menu', 'check_debt', 'route_order']);
      expect(finished.body.decision.reason).toMatch(/priority 5$/);

      const next = await h.call('POST', '/api/ivr/simulate', { token: h.tokens.admin, body: { callerNumber: '+74951000001', digits: '1', at: OPEN } });
      expect(next.body).toMatchObject({ flow: { version: flowDraft.body.version }, routing: { version: routingDraft.body.version }, choice: { intent: 'operator' } });
      expect(next.body.path).toEqual(['greeting', 'hours', 'main_menu', 'check_debt', 'route_operator']);
      expect(next.body.decision.reason).toMatch(/priority 2$/);
    });

    it('lists flows with their published version', async () => {
      const flows = await h.call('GET', '/api/ivr/flows', { token: h.tokens.supervisor });
      expect(flows.body).toEqual([{ name: 'main', publishedVersion: 2, latestVersion: 2 }]);
    });
  });

  describe('published config cache (what a new call reads)', () => {
    it('serves the new version to the next call as soon as another process publishes, and the last one while Postgres is unreachable', async () => {
      const logger = createRootLogger('silent');
      const db = createPool(h.db.options.connectionString as string, logger);
      const redis = new Redis(h.redis.options.port as number, h.redis.options.host as string);
      const feed = new ConfigPublishedFeed(redis, logger);
      const cache = new PublishedConfigCache(db, routingConfigStore, logger);
      try {
        await feed.subscribe((notice) => cache.invalidate(notice));
        const before = await cache.current(null);
        // Every call of the process shares what the cache serves: it cannot be changed under them (and IvrRun need not copy it).
        expect(isDeepFrozen(before)).toBe(true);
        expect(() => {
          (before!.document.defaults as { ringTimeoutSeconds: number }).ringTimeoutSeconds = 99;
        }).toThrow(TypeError);
        const doc = clone(before!.document);
        doc.defaults.ringTimeoutSeconds = 25;
        const draft = await h.call('POST', '/api/routing-config/versions', { token: h.tokens.admin, body: { document: doc } });
        await h.call('POST', `/api/routing-config/versions/${draft.body.version}/publish`, { token: h.tokens.admin });
        const deadline = Date.now() + 5000;
        const seen = (await eventually(() => cache.current(null), (c) => c!.version === draft.body.version, Math.max(0, deadline - Date.now()), 20))!.version;
        expect(seen).toBe(draft.body.version);

        // This process loses Postgres; a publish notice arrives; calls still get the last version it knew.
        await db.end();
        cache.invalidate({ table: routingConfigStore.spec.table, scope: null });
        await expect(cache.current(null)).rejects.toThrow();
        expect((await cache.currentOrLastKnown(null))!.version).toBe(draft.body.version);
      } finally {
        feed.close();
        redis.disconnect();
        await db.end().catch(() => undefined);
      }
    });
  });

  describe('prompts', () => {
    it('takes an admin\'s WAV in any common format, converts it for the media server, and plays it back with Range', async () => {
      const upload = wav({ channels: 2, sampleRate: 44100, bitsPerSample: 16, frames: 44100 });
      const result = await fetch(`${h.baseUrl}/api/prompts/greeting/en/audio`, { method: 'PUT', headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'audio/wav' }, body: new Uint8Array(upload) });
      expect(result.status).toBe(200);
      const stored = (await result.json()) as { source: string; durationMs: number; audioFile: string; text: string };
      expect(stored).toMatchObject({ source: 'upload', durationMs: 1000 });
      expect(stored.text).toMatch(/Hello/);
      const audit = await h.call('GET', '/api/audit?entity=prompt', { token: h.tokens.admin });
      expect(audit.body[0]).toMatchObject({ action: 'update', entityId: 'greeting/en', username: 'admin' });

      const whole = await fetch(`${h.baseUrl}/api/prompts/greeting/en/audio`, { headers: { authorization: `Bearer ${h.tokens.supervisor}` } });
      expect(whole.status).toBe(200);
      const bytes = Buffer.from(await whole.arrayBuffer());
      expect(bytes.length).toBe(44 + 16000); // 1 s of 8 kHz mono 16-bit
      expect(bytes.readUInt32LE(24)).toBe(8000);
      const part = await fetch(`${h.baseUrl}/api/prompts/greeting/en/audio`, { headers: { authorization: `Bearer ${h.tokens.supervisor}`, range: 'bytes=0-11' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 0-11/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer()).toString('latin1')).toBe(bytes.subarray(0, 12).toString('latin1'));
      const shipped = await fetch(await ticketUrl(h.baseUrl, h.tokens.supervisor, '/api/prompts/greeting/ru/audio'));
      expect(shipped.status).toBe(200);
    });

    it('refuses what it cannot play, and a new prompt without its text', async () => {
      const notWav = await fetch(`${h.baseUrl}/api/prompts/greeting/en/audio`, { method: 'PUT', headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'audio/wav' }, body: 'ID3 this is an mp3' });
      expect(notWav.status).toBe(400);
      expect(((await notWav.json()) as { error: { code: string } }).error.code).toBe('BAD_AUDIO');
      const tooShort = await fetch(`${h.baseUrl}/api/prompts/greeting/en/audio`, { method: 'PUT', headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'audio/wav' }, body: new Uint8Array(wav({ frames: 80 })) });
      expect(tooShort.status).toBe(400);
      const noText = await fetch(`${h.baseUrl}/api/prompts/holiday_notice/en/audio`, { method: 'PUT', headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'audio/wav' }, body: new Uint8Array(wav({ frames: 8000 })) });
      expect(noText.status).toBe(400);
      expect(((await noText.json()) as { error: { message: string } }).error.message).toMatch(/is new: say what it says with \?text=/);
      const operator = await fetch(`${h.baseUrl}/api/prompts/greeting/en/audio`, { method: 'PUT', headers: { authorization: `Bearer ${h.tokens.operator}`, 'content-type': 'audio/wav' }, body: new Uint8Array(wav({ frames: 8000 })) });
      expect(operator.status).toBe(403);
      expect((await h.call('GET', '/api/prompts', { token: h.tokens.admin })).body.some((p: { id: string }) => p.id === 'holiday_notice')).toBe(false);
    });

    it('a new prompt, once uploaded in every language, can be used by a flow', async () => {
      for (const [language, text] of [['en', 'We are closed for the holiday.'], ['ru', 'Сегодня праздник, мы не работаем.']] as const) {
        const r = await fetch(`${h.baseUrl}/api/prompts/holiday_notice/${language}/audio?text=${encodeURIComponent(text)}`, { method: 'PUT', headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'audio/wav' }, body: new Uint8Array(wav({ frames: 8000 })) });
        expect(r.status).toBe(200);
      }
      const flow = clone(flowV1.document);
      flow.nodes.greeting.prompts = ['holiday_notice', 'greeting'];
      const result = await h.call('POST', '/api/ivr/flows/main/validate', { token: h.tokens.admin, body: { document: flow } });
      expect(result.body).toEqual({ ok: true, errors: [] });
    });
  });

  it('keeps one published version per flow in the store itself', async () => {
    const published = await ivrFlowStore.published(h.db, 'main');
    const { rows } = await h.db.query("SELECT count(*)::int AS n FROM ivr_flow_versions WHERE flow_name = 'main' AND status = 'published'");
    expect(rows[0].n).toBe(1);
    expect(published?.status).toBe('published');
  });
});
