import { PassThrough } from 'node:stream';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { ANY_USER } from '../../../src/auth/roles';
import { eventually } from '../../helpers/eventually';

// Issue 15: a bearer token, a session token in a URL or a URL ticket never reaches the logs, the 5xx log included.
describe('tokens in the logs', () => {
  let h: ApiHarness;
  let logged = '';

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      logged += chunk.toString('utf8');
    });
    h = await startApiHarness({
      env: { LOG_LEVEL: 'info' },
      logStream: stream,
      beforeListen: (app) => {
        app.get('/api/test/broken', { config: { access: ANY_USER } }, () => {
          throw new Error('a bug');
        });
      },
    });
  });
  afterAll(() => h.close());

  it('logs a failed request without the Authorization header or token query parameters', async () => {
    const token = h.tokens.operator;
    const response = await fetch(`${h.baseUrl}/api/test/broken?access_token=${token}&ticket=secret-ticket-123&token=${token}&page=2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(500);
    const line = await eventually(() => logged.split('\n').find((l) => l.includes('request failed')), (l) => l !== undefined);
    expect(line).toBeDefined();
    expect(line).toContain('/api/test/broken');
    expect(line).toContain('page=2');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('secret-ticket-123');
  });
});
