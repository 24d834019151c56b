import { PassThrough } from 'node:stream';
import { createRootLogger, redactUrlSecrets } from '../../src/logger';

// Issue 15: tokens are never logged, whoever logs a URL or a request.
describe('redactUrlSecrets', () => {
  it('replaces the values of access_token, ticket and token and keeps the rest', () => {
    expect(redactUrlSecrets('/api/x?access_token=abc&page=2&ticket=t1&TOKEN=zz#frag')).toBe('/api/x?access_token=[redacted]&page=2&ticket=[redacted]&TOKEN=[redacted]#frag');
    expect(redactUrlSecrets('http://h:1/a?%61ccess_token=abc')).toBe('http://h:1/a?%61ccess_token=[redacted]');
    expect(redactUrlSecrets('/api/x')).toBe('/api/x');
    expect(redactUrlSecrets('/api/x?flag&token=')).toBe('/api/x?flag&token=[redacted]');
  });
});

describe('the root logger', () => {
  it('writes neither an Authorization header nor a token in a logged URL or request', () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    const logger = createRootLogger('info', 'test', stream);
    logger.error({ url: '/a?access_token=SECRET1', req: { method: 'GET', url: '/b?ticket=SECRET2', headers: { authorization: 'Bearer SECRET3' } } }, 'failed');
    logger.info({ headers: { authorization: 'Bearer SECRET4' }, token: 'SECRET5' }, 'other');
    stream.end();
    expect(out).toContain('failed');
    expect(out).toContain('/a?access_token=[redacted]');
    expect(out).not.toMatch(/SECRET\d/);
  });
});
