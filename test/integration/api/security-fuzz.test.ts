import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { fuzzAdminToken, HttpFuzzClient, runApiFuzz } from '../../../scripts/security/http-fuzz';
import type { OpenApiDocument } from '../../../scripts/security/openapi-fuzz';
import { formatReport, type PartReport } from '../../../scripts/security/verdict';

/**
 * The API half of `npm run security:scan` (issue 15) on every CI run, without
 * sipvicious: every operation of the OpenAPI document refuses callers without
 * valid credentials unless it is on the reviewed public list, and no malformed
 * path id, body or query string (sent with an admin token) gets a 5xx or goes
 * unanswered. On the demo data set, as `npm start` has it.
 */
describe('the API fuzz of the security scan (real HTTP, Postgres, Redis, demo data)', () => {
  let h: ApiHarness;
  let client: HttpFuzzClient;
  let reports: PartReport[] = [];

  beforeAll(async () => {
    // The caller is an outsider: loopback is not a monitoring network here (the default trusts 127.0.0.0/8).
    h = await startApiHarness({ demo: true, env: { MONITORING_NETWORKS: '192.0.2.0/24' } });
    client = new HttpFuzzClient({ baseUrl: h.baseUrl, timeoutMs: 10_000 });
    const doc = await client.json<OpenApiDocument>('GET', '/docs/json');
    expect(doc.status).toBe(200);
    // A smaller huge string than the scan's 100 kB keeps this under a minute on a shared 2-core runner.
    reports = await runApiFuzz(client, doc.body, await fuzzAdminToken(client, h.tokens.admin), { seed: 15, budgetMs: 45_000, concurrency: 2, hugeBytes: 20_000 });
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await h?.close();
  });

  const part = (name: string): PartReport => {
    const found = reports.find((r) => r.part === name);
    if (!found) throw new Error(`no report for ${name}: ${formatReport(reports)}`);
    return found;
  };

  it('every route refuses callers without valid credentials, except the reviewed public ones', () => {
    const anonymous = part('API without credentials');
    expect(anonymous.findings.map((f) => f.what)).toEqual([]);
    // It did call them all: 3 ways for each of the 100-odd documented operations.
    expect(Number(/^(\d+) requests/.exec(anonymous.observed)?.[1])).toBeGreaterThan(250);
  });

  it('no malformed id, body or query string gets a 5xx or hangs, and the admin session lasted to the end', () => {
    const malformed = part('API malformed input (admin)');
    expect(malformed.findings.map((f) => f.what)).toEqual([]);
    expect(malformed.observed).not.toMatch(/answered 401 to the admin token/);
    expect(Number(/^(\d+) requests/.exec(malformed.observed)?.[1])).toBeGreaterThan(2000);
  });
});
