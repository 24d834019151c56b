import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

describe('authentication and role enforcement (real HTTP, Postgres, Redis)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('logs in with {username, password} and returns {token}; /api/auth/me says who', async () => {
    const login = await h.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin-password' } });
    expect(login.status).toBe(200);
    expect(typeof login.body.token).toBe('string');
    expect(login.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    const me = await h.call('GET', '/api/auth/me', { token: login.body.token });
    expect(me.body).toMatchObject({ username: 'admin', role: 'admin' });
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await h.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'nope-nope' } });
    const unknown = await h.call('POST', '/api/auth/login', { body: { username: 'ghost', password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('refuses a revoked token after logout', async () => {
    const { body } = await h.call('POST', '/api/auth/login', { body: { username: 'h_operator', password: 'operator-password' } });
    expect((await h.call('GET', '/api/auth/me', { token: body.token })).status).toBe(200);
    expect((await h.call('POST', '/api/auth/logout', { token: body.token })).status).toBe(204);
    const after = await h.call('GET', '/api/auth/me', { token: body.token });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/revoked|expired|unknown/);
  });

  it('deactivating a user revokes their tokens at once', async () => {
    const created = await h.call('POST', '/api/users', { token: h.tokens.admin, body: { username: 'temp', password: 'temp-password', role: 'operator' } });
    const { body } = await h.call('POST', '/api/auth/login', { body: { username: 'temp', password: 'temp-password' } });
    await h.call('PATCH', `/api/users/${created.body.id}`, { token: h.tokens.admin, body: { active: false } });
    expect((await h.call('GET', '/api/auth/me', { token: body.token })).status).toBe(401);
  });

  // method, path, body, and the status each role gets: [anonymous, operator, supervisor, admin]
  const table: Array<[string, string, unknown, [number, number, number, number]]> = [
    ['GET', '/api/departments', undefined, [401, 200, 200, 200]],
    ['POST', '/api/departments', { code: 'x_dept', name: 'X' }, [401, 403, 403, 201]],
    ['GET', '/api/staff', undefined, [401, 200, 200, 200]],
    ['POST', '/api/staff', { fullName: 'A B', role: 'operator' }, [401, 403, 403, 201]],
    ['GET', '/api/clients', undefined, [401, 200, 200, 200]],
    ['POST', '/api/clients', { name: 'Walk-in', type: 'market' }, [401, 201, 201, 201]],
    ['GET', '/api/queues', undefined, [401, 200, 200, 200]],
    ['POST', '/api/queues', { name: 'q_roles', label: 'Q' }, [401, 403, 403, 201]],
    ['POST', '/api/clients/import', 'name,type,phones\n', [401, 403, 200, 200]],
    ['GET', '/api/audit', undefined, [401, 403, 200, 200]],
    ['GET', '/api/users', undefined, [401, 403, 403, 200]],
    ['POST', '/api/client-types', { code: 'wholesale_roles', label: 'W' }, [401, 403, 403, 201]],
    ['GET', '/api/disposition-codes', undefined, [401, 200, 200, 200]],
  ];

  it.each(table)('%s %s with body %j → anonymous/operator/supervisor/admin get %j', async (method, path, body, expected) => {
    const roles = [null, h.tokens.operator, h.tokens.supervisor, h.tokens.admin];
    const statuses: number[] = [];
    for (const [i, token] of roles.entries()) {
      // Each role creates its own record, so unique names stay unique.
      const unique = body && typeof body === 'object' ? JSON.parse(JSON.stringify(body).replace(/(x_dept|q_roles|h_roles|wholesale_roles)/, `$1_${i}`)) : body;
      const result = typeof unique === 'string'
        ? await h.call(method, path, { token, raw: unique })
        : await h.call(method, path, { token, ...(unique !== undefined ? { body: unique } : {}) });
      statuses.push(result.status);
      if (result.status === 401) expect(result.body.error.code).toBe('UNAUTHENTICATED');
      if (result.status === 403) expect(result.body.error.message).toMatch(/role (operator|supervisor) may not/);
    }
    expect(statuses).toEqual(expected);
  });

  it('serves OpenAPI JSON at /docs/json without a token, listing the directory routes', async () => {
    const docs = await h.call('GET', '/docs/json');
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/login', '/api/clients', '/api/clients/import', '/api/staff/{id}', '/readyz']) {
      expect(Object.keys(docs.body.paths)).toContain(path);
    }
  });

  it('exports Prometheus metrics including request counts', async () => {
    await h.call('GET', '/healthz');
    const metrics = await h.call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(String(metrics.body)).toMatch(/switchboard_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(String(metrics.body)).toContain('process_resident_memory_bytes');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const result = await h.call('GET', '/api/nope', { token: h.tokens.admin });
    expect(result.status).toBe(404);
    expect(result.body.error.code).toBe('NOT_FOUND');
  });
});
