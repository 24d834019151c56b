import { toAppError } from '../../src/api/http-errors';
import { AppError } from '../../src/errors/app-error';
import { classifyError } from '../../src/errors/classify-error';
import { sipFailureFor } from '../../src/sip/sip-status';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

/**
 * One classifier turns what pg, ioredis and the network throw into the
 * catalogue's errors; the HTTP and SIP edges only map the result to their
 * status. Rows are what a backing service really throws.
 */
describe('one error path for HTTP and SIP', () => {
  it.each([
    ['Redis refused', withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'), 'DEPENDENCY_DOWN'],
    ['ioredis with the connection closed', new Error('Connection is closed.'), 'DEPENDENCY_DOWN'],
    ['ioredis giving up on a command', Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }), 'DEPENDENCY_DOWN'],
    ['ioredis offline queue off', new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'DEPENDENCY_DOWN'],
    ['host unreachable', withCode('connect EHOSTUNREACH 10.0.0.9:5432', 'EHOSTUNREACH'), 'DEPENDENCY_DOWN'],
    ['Postgres shutting down', withCode('terminating connection due to administrator command', '57P01'), 'DEPENDENCY_DOWN'],
    ['Postgres connection lost', new Error('Connection terminated unexpectedly'), 'DEPENDENCY_DOWN'],
    ['pg pool timeout', new Error('timeout exceeded when trying to connect'), 'DEPENDENCY_DOWN'],
    ['Postgres statement timeout', withCode('canceling statement due to statement timeout', '57014'), 'DEPENDENCY_DOWN'],
    ['a unique violation', Object.assign(withCode('duplicate key', '23505'), { detail: 'Key (name)=(x) already exists.' }), 'CONFLICT'],
    ['a bad date', withCode('invalid input syntax for type date', '22007'), 'VALIDATION_FAILED'],
    // What Node's sockets throw is an Error of Node's own realm: not `instanceof` the Error a test VM (or another realm) sees.
    ['a socket error from another realm', { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' }, 'DEPENDENCY_DOWN'],
    ['a bug', new TypeError('undefined is not a function'), 'INTERNAL'],
    ['a thrown string', 'oops', 'INTERNAL'],
  ])('%s → %s, the same at both edges', (_what, err, code) => {
    expect(classifyError(err).code).toBe(code);
    expect(toAppError(err).code).toBe(code);
    expect(sipFailureFor(err).status).toBe(new AppError(code as never, 'x').sipStatus);
  });

  it('keeps an AppError as it is', () => {
    const err = new AppError('NO_DEVICE', 'anna has no phone');
    expect(classifyError(err)).toBe(err);
  });

  it('says Retry-After on a SIP 503 (RFC 3261 §21.5.4), not on others', () => {
    expect(sipFailureFor(new Error('Connection is closed.')).headers).toEqual({ 'Retry-After': '10' });
    expect(sipFailureFor(new TypeError('x')).headers).toEqual({});
  });
});
