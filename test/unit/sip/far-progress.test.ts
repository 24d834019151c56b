import { farFailureOf, farProgressBody } from '../../../src/sip/far-progress';
import { farRingFailure, RingFailed } from '../../../src/sip/parallel-ring';

// What the operator's softphone says when the client's phone was not reached (issue 6): one row per way a ring ends.
describe('the far end not reached, in the softphone\'s words', () => {
  it.each([
    ['486 Busy Here', { kind: 'refused', status: 486, message: '486' }, { outcome: 'busy', status: 486 }],
    ['600 Busy Everywhere', { kind: 'refused', status: 600, message: '600' }, { outcome: 'busy', status: 600 }],
    ['603 Decline', { kind: 'refused', status: 603, message: '603' }, { outcome: 'declined', status: 603 }],
    ['480 Temporarily Unavailable', { kind: 'refused', status: 480, message: '480' }, { outcome: 'no_answer', status: 480 }],
    ['408 Request Timeout', { kind: 'refused', status: 408, message: '408' }, { outcome: 'no_answer', status: 408 }],
    ['our ring timeout', { kind: 'no-answer' }, { outcome: 'no_answer', status: null }],
    ['404 Not Found (a number that does not exist)', { kind: 'refused', status: 404, message: '404' }, { outcome: 'unavailable', status: 404 }],
    ['503 from the trunk', { kind: 'refused', status: 503, message: '503' }, { outcome: 'failed', status: 503 }],
    ['no response at all (transport error)', { kind: 'refused', status: null, message: 'ECONNREFUSED' }, { outcome: 'failed', status: null }],
  ] as const)('%s', (_name, failure, expected) => {
    expect(farFailureOf(failure)).toEqual(expected);
  });

  it('the INFO body is the progress as JSON, which the softphone parses back', () => {
    expect(JSON.parse(farProgressBody({ far: 'failed', outcome: 'busy', status: 486 }))).toEqual({ far: 'failed', outcome: 'busy', status: 486 });
    expect(JSON.parse(farProgressBody({ far: 'ringing' }))).toEqual({ far: 'ringing' });
  });
});

describe('ringing the far end failed: what the device, the softphone and the record are told', () => {
  it('a refusal passes to the waiting device as is; a far 487, no answer or an error become 480', () => {
    expect(farRingFailure(new RingFailed({ kind: 'refused', status: 486, message: 'Busy Here' }))).toMatchObject({ deviceStatus: 486, far: { outcome: 'busy', status: 486 } });
    expect(farRingFailure(new RingFailed({ kind: 'refused', status: 487, message: 'Request Terminated' }))).toMatchObject({ deviceStatus: 480, far: { outcome: 'no_answer' } });
    expect(farRingFailure(new RingFailed({ kind: 'no-answer' }))).toMatchObject({ deviceStatus: 480, far: { outcome: 'no_answer', status: null } });
    expect(farRingFailure(new Error('rtpengine timed out'))).toEqual({ reason: 'rtpengine timed out', deviceStatus: 480, far: { outcome: 'failed', status: null } });
  });
});
