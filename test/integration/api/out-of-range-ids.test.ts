import { releaseInOrder } from '../../helpers/release';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

interface OpenApiParameter {
  name: string;
  in: string;
  schema?: { type?: string };
}

type OpenApiPaths = Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;

/** Beyond Postgres's integer: a path id like this once reached SQL and came back as 500 (issue 15). */
const TOO_BIG = '99999999999999999999';

/**
 * Every API operation with an integer in its path, asked with an id no row
 * can have: a clear 400, never a 500. The operations come from the API's own
 * OpenAPI document, so a route added later is covered too.
 */
describe('ids beyond the database\'s integer range in any path', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness({ demo: true });
  });
  afterAll(() => releaseInOrder([() => h?.close()]));

  it('answer 400 naming the parameter, on every operation that takes one, for an admin', async () => {
    const spec = (await h.call<{ paths: OpenApiPaths }>('GET', '/docs/json', { token: null })).body;
    const tried: string[] = [];
    const failures: string[] = [];
    for (const [template, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const integers = (operation.parameters ?? []).filter((p) => p.in === 'path' && p.schema?.type === 'integer').map((p) => p.name);
        if (integers.length === 0) continue;
        const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => (integers.includes(name) ? TOO_BIG : 'x'));
        const withBody = ['post', 'put', 'patch'].includes(method);
        const answer = await h.call(method.toUpperCase(), path, { token: h.tokens.admin, ...(withBody ? { body: {} } : {}) });
        tried.push(`${method.toUpperCase()} ${template}`);
        if (answer.status !== 400) failures.push(`${method.toUpperCase()} ${template} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}`);
      }
    }
    // The API has dozens of such operations: the check ran over them, not over nothing.
    expect(tried.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });
});
