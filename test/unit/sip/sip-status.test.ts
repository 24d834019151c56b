import { AppError } from '../../../src/errors/app-error';
import { sipFailureFor } from '../../../src/sip/sip-status';

describe('SIP status boundary for errors', () => {
  it.each([
    [new AppError('VALIDATION_FAILED', 'x'), 400, 'Bad Request'],
    [new AppError('FORBIDDEN', 'x'), 403, 'Forbidden'],
    [new AppError('DEPENDENCY_DOWN', 'x'), 503, 'Service Unavailable'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), 503, 'Service Unavailable'],
    [new Error('Connection is closed.'), 503, 'Service Unavailable'],
    [new TypeError('undefined is not a function'), 500, 'Server Internal Error'],
    ['a string', 500, 'Server Internal Error'],
  ])('%s → %i', (err, status, reason) => {
    const failure = sipFailureFor(err);
    expect(failure).toMatchObject({ status, reason });
    expect('Retry-After' in failure.headers).toBe(status === 503);
  });
});
