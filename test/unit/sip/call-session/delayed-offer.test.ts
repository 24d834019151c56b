import { EventEmitter } from 'node:events';
import { answerInAck, awaitAckAnswer } from '../../../../src/sip/call-session/delayed-offer';
import type { Dialog } from '../../../../src/sip/call-session/inbound-context';
import { fakeRequest } from '../../../fakes/call-session-fakes';

const SDP = 'v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\nm=audio 7000 RTP/AVP 8\r\n';

describe('the answer in the ACK of a delayed offer (RFC 3264 §4)', () => {
  it('takes an SDP body as the answer, and names what is wrong otherwise', () => {
    expect(answerInAck('application/sdp', SDP)).toEqual({ kind: 'answer', sdp: SDP });
    expect(answerInAck(undefined, '')).toEqual({ kind: 'no-answer', why: 'the ACK carried no SDP answer to our offer' });
    expect(answerInAck('application/isup', 'ISUP')).toEqual({ kind: 'no-answer', why: 'the ACK carried a body of type application/isup, not an SDP answer' });
  });

  it('waits for the ACK, gives up after the wait, and stops listening either way', async () => {
    const leg = new EventEmitter();
    const never = new Promise<void>(() => undefined);
    const waiting = awaitAckAnswer(leg as unknown as Dialog, never, 5000);
    leg.emit('ack', fakeRequest({ body: SDP, headers: { 'Content-Type': 'application/sdp' } }));
    await expect(waiting).resolves.toEqual({ kind: 'answer', sdp: SDP });
    expect(leg.listenerCount('ack')).toBe(0);
    await expect(awaitAckAnswer(leg as unknown as Dialog, never, 20)).resolves.toEqual({ kind: 'no-answer', why: 'no ACK within 20 ms of our offer' });
    expect(leg.listenerCount('ack')).toBe(0);
    await expect(awaitAckAnswer(leg as unknown as Dialog, Promise.resolve(), 5000)).resolves.toEqual({ kind: 'gone' });
  });
});
