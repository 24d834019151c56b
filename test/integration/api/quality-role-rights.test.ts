import { randomUUID } from 'node:crypto';
import { releaseInOrder } from '../../helpers/release';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

type OpenApiPaths = Record<string, Record<string, unknown>>;
type Role = 'admin' | 'supervisor' | 'operator' | 'quality';

/** Refused by the route's declared access (auth-hook.ts), before anything of the route ran. */
function refusedByAccess(answer: { status: number; body: unknown }, role: Role): boolean {
  const error = (answer.body as { error?: { code?: string; message?: string } } | null)?.error;
  return answer.status === 403 && error?.code === 'FORBIDDEN' && (error.message ?? '').startsWith(`role ${role} may not`);
}

/**
 * Everything the quality role (issue 18 point 5) may reach, and nothing else: its own session, the call
 * log and call details, recordings, quality evaluations, the wallboard feed (read-only: where a live call
 * to listen to is picked) and monitoring. A route added later that opens itself to quality by accident
 * (SIGNED_IN where ANY_USER was meant) fails here until it is named.
 */
const QUALITY_MAY: readonly string[] = [
  // its own session
  'POST /api/auth/tickets', 'GET /api/auth/me', 'POST /api/auth/logout',
  // the call log, call details and recordings
  'GET /api/call-log', 'GET /api/calls/{id}', 'GET /api/recordings/{id}/audio',
  // quality evaluations: reading forms, evaluating, reports (editing the forms is the admins')
  'GET /api/quality/forms', 'GET /api/quality/forms/{form}/versions', 'GET /api/quality/forms/{form}/versions/{version}',
  'GET /api/quality/forms/{form}/published', 'POST /api/quality/forms/{form}/validate', 'GET /api/quality/calls',
  'POST /api/quality/evaluations', 'GET /api/quality/evaluations', 'GET /api/quality/evaluations/{id}', 'PUT /api/quality/evaluations/{id}',
  'POST /api/quality/evaluations/{id}/comments', 'GET /api/quality/reports',
  // the wallboard, read-only
  'GET /api/floor',
  // monitoring
  'GET /api/call-monitoring/capabilities', 'POST /api/call-monitoring/sessions', 'GET /api/call-monitoring/sessions',
  'PATCH /api/call-monitoring/sessions/{id}', 'DELETE /api/call-monitoring/sessions/{id}',
];

/** Open to anyone, signed in or not (health, metrics behind their own check, the site CA, the login itself). */
const PUBLIC: readonly string[] = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /ca.crt', 'GET /ca', 'POST /api/auth/login'];

/** Representative routes × roles: who gets through the route's access (anything but the access refusal) and who gets 403. */
const TABLE: ReadonlyArray<{ route: string; body?: unknown; allowed: readonly Role[] }> = [
  { route: 'GET /api/auth/me', allowed: ['admin', 'supervisor', 'operator', 'quality'] },
  { route: 'GET /api/users', allowed: ['admin'] },
  { route: 'GET /api/audit', allowed: ['admin', 'supervisor'] },
  { route: 'GET /api/reports/queues', allowed: ['admin', 'supervisor'] },
  { route: 'GET /api/campaigns', allowed: ['admin', 'supervisor'] },
  { route: 'GET /api/agents', allowed: ['admin', 'supervisor'] },
  { route: 'GET /api/softphone/config', allowed: ['admin', 'supervisor', 'operator'] },
  { route: 'GET /api/abandoned-calls', allowed: ['admin', 'supervisor', 'operator'] },
  { route: 'GET /api/transfer-targets', allowed: ['admin', 'supervisor', 'operator'] },
  { route: 'GET /api/call-log', allowed: ['admin', 'supervisor', 'operator', 'quality'] },
  { route: `GET /api/calls/${randomUUID()}`, allowed: ['admin', 'supervisor', 'operator', 'quality'] },
  { route: 'GET /api/quality/forms', allowed: ['admin', 'supervisor', 'quality'] },
  { route: 'POST /api/quality/forms/standard/versions', body: {}, allowed: ['admin'] },
  { route: 'GET /api/floor', allowed: ['admin', 'supervisor', 'quality'] },
  { route: 'GET /api/floor/live', allowed: ['admin', 'supervisor', 'quality'] },
  { route: 'GET /api/call-monitoring/capabilities', allowed: ['admin', 'supervisor', 'quality'] },
  { route: 'POST /api/call-monitoring/sessions', body: {}, allowed: ['admin', 'supervisor', 'quality'] },
  { route: 'GET /api/call-monitoring/sessions', allowed: ['admin', 'supervisor', 'quality'] },
  { route: `DELETE /api/call-monitoring/sessions/${randomUUID()}`, allowed: ['admin', 'supervisor', 'quality'] },
  { route: 'GET /api/call-monitoring/queue-supervisors', allowed: ['admin'] },
  { route: 'PUT /api/call-monitoring/queue-supervisors/1', body: {}, allowed: ['admin'] },
];

describe('the quality role\'s rights, route by route', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true });
  });
  afterAll(() => releaseInOrder([() => h?.close()]));

  it('reaches exactly the routes named for it, across every operation of the API', async () => {
    const spec = (await h.call<{ paths: OpenApiPaths }>('GET', '/docs/json', { token: null })).body;
    const operations = Object.entries(spec.paths).flatMap(([template, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${template}`));
    // Logging out ends the token the walk uses: last.
    operations.sort((a, b) => Number(a === 'POST /api/auth/logout') - Number(b === 'POST /api/auth/logout'));
    const reached: string[] = [];
    // A token of its own: the walk logs it out at the end.
    const login = await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: 'h_quality', password: 'quality-password' } });
    const token = login.body.token;
    for (const operation of operations) {
      const [method = 'GET', template = ''] = operation.split(' ');
      if (template.startsWith('/docs')) continue;
      // Path parameters that pass no schema: an allowed route stops at validation (400) and changes nothing.
      const path = template.replace(/\{[^}]+\}/g, 'x');
      const answer = await h.call(method, path, { token, ...(['POST', 'PUT', 'PATCH'].includes(method) ? { body: {} } : {}) });
      if (!refusedByAccess(answer, 'quality')) reached.push(operation);
    }
    expect(operations.length).toBeGreaterThan(100);
    // Both ways: nothing beyond the list, and everything on it (a right lost by a route is a regression too).
    expect(reached.filter((op) => !PUBLIC.includes(op)).sort()).toEqual([...QUALITY_MAY].sort());
  });

  it.each(TABLE)('$route: $allowed through, every other role 403', async ({ route, body, allowed }) => {
    const [method = 'GET', path = ''] = route.split(' ');
    const seen: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const role of ['admin', 'supervisor', 'operator', 'quality'] as const) {
      const answer = await h.call(method, path, { token: h.tokens[role], ...(body !== undefined ? { body } : {}) });
      seen[role] = refusedByAccess(answer, role) ? '403' : answer.status === 401 ? 'not signed in' : `through (${answer.status})`;
      expected[role] = allowed.includes(role) ? seen[role].startsWith('through') ? seen[role] : 'through' : '403';
    }
    expect(seen).toEqual(expected);
  });
});
