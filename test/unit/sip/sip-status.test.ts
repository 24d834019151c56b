import { AppError } from '../../../src/errors/app-error';
import { sipFailureFor, sipRefusal } from '../../../src/sip/sip-status';

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

describe('SIP refusals from the catalogue', () => {
  it.each([
    ['NOT_A_TRUNK', undefined, 403, 'Forbidden'],
    ['BAD_SIP_REQUEST', 'missing From tag', 400, 'Bad Request (missing From tag)'],
    ['NO_ACCEPTABLE_MEDIA', 'SDP offer required', 488, 'Not Acceptable Here (SDP offer required)'],
    ['REQUEST_PENDING', undefined, 491, 'Request Pending'],
    ['NO_SUCH_DIALOG', undefined, 481, 'Call/Transaction Does Not Exist'],
    ['BUSY', undefined, 486, 'Busy Here'],
    ['NO_DEVICE', 'no registered phone', 480, 'Temporarily Unavailable (no registered phone)'],
    ['FLOW_INVALID', 'IVR draft is invalid', 606, 'Not Acceptable (IVR draft is invalid)'],
  ] as const)('%s → %i', (code, why, status, reason) => {
    expect(sipRefusal(code, why)).toEqual({ status, reason, headers: {} });
  });

  it('a 503 says when to retry', () => {
    expect(sipRefusal('DEPENDENCY_DOWN', 'draft tests are off')).toEqual({ status: 503, reason: 'Service Unavailable (draft tests are off)', headers: { 'Retry-After': '10' } });
  });
});
