import { releaseInOrder } from '../../helpers/release';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

interface OpenApiOperation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }>; description?: string }>;
}
type OpenApiPaths = Record<string, Record<string, OpenApiOperation>>;

/**
 * Every API operation declares what its success answer contains (issue 15):
 * fastify writes JSON through the response schema, which drops whatever the
 * schema does not name, so a field added to a record (a password hash, a
 * file path) cannot leak through a route that forgot to pick its fields.
 * Read from the API's own OpenAPI document, so a route added later is
 * covered too.
 */
describe('response schemas on every operation', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness({ demo: true });
  });
  afterAll(() => releaseInOrder([() => h?.close()]));

  it('each operation declares its success status with a schema (JSON) or as a body-less, file or WebSocket answer', async () => {
    const spec = (await h.call<{ paths: OpenApiPaths }>('GET', '/docs/json', { token: null })).body;
    const missing: string[] = [];
    let operations = 0;
    for (const [template, byMethod] of Object.entries(spec.paths)) {
      if (template.startsWith('/docs')) continue;
      for (const [method, operation] of Object.entries(byMethod)) {
        operations += 1;
        const successes = Object.entries(operation.responses ?? {}).filter(([status]) => /^(2\d\d|101)$/.test(status));
        const described = successes.some(([status, response]) => status === '204' || status === '101' || Object.values(response.content ?? {}).some((c) => c.schema !== undefined));
        if (!described) missing.push(`${method.toUpperCase()} ${template}`);
      }
    }
    expect(operations).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
