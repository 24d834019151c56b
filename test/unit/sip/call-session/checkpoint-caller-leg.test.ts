import { takeCheckpoint } from '../../../../src/sip/call-session/call-checkpointing';
import { InboundContext } from '../../../../src/sip/call-session/inbound-context';
import { fakeCallWorld, fakeRequest, fakeResponse, FakeDialog, sdp } from '../../../fakes/call-session-fakes';
import { DIRECTORY } from '../../routing/routing-fixtures';

/**
 * A call's checkpoint names the caller's leg from the INVITE on (issue 14's
 * survivor hangs up the legs it names). The chaos run caught a process killed
 * between the 200 OK and the checkpoint's next save: the saved checkpoint had
 * no leg, so the survivor closed the row but the caller heard silence until
 * they gave up.
 */
describe('the checkpoint of an inbound call names the caller\'s leg', () => {
  const invite = (): InboundContext => new InboundContext(
    fakeCallWorld(DIRECTORY).services,
    fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74951234567@trunk>;tag=caller-tag', 'Call-ID': 'abc-123@10.0.0.9' } }),
    fakeResponse(),
    null,
  );

  it('before the answer, by the id drachtio-server gives the dialog it creates (Call-ID;from-tag=<caller tag>)', () => {
    expect(takeCheckpoint(invite()).legs).toEqual(['abc-123@10.0.0.9;from-tag=caller-tag']);
  });

  it('once answered, by the dialog\'s own id', () => {
    const ctx = invite();
    const answered = Object.assign(new FakeDialog({ sdp: sdp(5000) }), { id: 'abc-123@10.0.0.9;from-tag=caller-tag' });
    ctx.uas = answered as unknown as InboundContext['uas'];
    expect(takeCheckpoint(ctx).legs).toEqual(['abc-123@10.0.0.9;from-tag=caller-tag']);
  });

  it('names no caller leg for an INVITE without a From tag (it is refused, never answered)', () => {
    const ctx = new InboundContext(fakeCallWorld(DIRECTORY).services, fakeRequest({ headers: { From: '<sip:+74951234567@trunk>', 'Call-ID': 'x' } }), fakeResponse(), null);
    expect(takeCheckpoint(ctx).legs).toEqual([]);
  });
});
