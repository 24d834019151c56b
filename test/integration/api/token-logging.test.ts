import { PassThrough } from 'node:stream';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { ANY_USER } from '../../../src/auth/roles';
import { eventually } from '../../helpers/eventually';
import { ticketUrl } from '../../helpers/url-ticket';

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
        app.get('/api/test/broken', { config: { access: ANY_USER, urlTicket: 'download' } }, () => {
          throw new Error('a bug');
        });
      },
    });
  });
  afterAll(() => h.close());

  it('logs a failed request without the Authorization header or token query parameters', async () => {
    const token = h.tokens.operator;
    const response = await fetch(`${h.baseUrl}/api/test/broken?token=${token}&page=2`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(500);
    // The same failure reached through a URL ticket (as <audio src> and download links do).
    const withTicket = await ticketUrl(h.baseUrl, token, '/api/test/broken', 'download', 'page=3');
    const ticket = new URL(withTicket).searchParams.get('ticket') as string;
    expect((await fetch(withTicket)).status).toBe(500);
    const lines = await eventually(() => logged.split('\n').filter((l) => l.includes('request failed')), (l) => l.length === 2);
    expect(lines[0]).toContain('/api/test/broken?token=[redacted]&page=2');
    expect(lines[1]).toContain('/api/test/broken?ticket=[redacted]&page=3');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(ticket);
  });
});
