import { RtpengineCallSweeper } from '../../../src/media/rtpengine-call-sweeper';
import type { NgCommand, NgCommandSender, NgParams, NgReply } from '../../../src/media/rtpengine-ng-client';

/** rtpengine's `list` as the sweeper reads it: the calls it holds now. */
class ListingNg implements NgCommandSender {
  held: string[] = [];
  command(name: NgCommand, _params: NgParams): Promise<NgReply> {
    return Promise.resolve(name === 'list' ? { result: 'ok', calls: [...this.held] } : { result: 'ok' });
  }
}

/**
 * The sweeper tells a call's owner when rtpengine no longer holds the call's
 * media (issue 14) — but not for a call whose offer may still be on its way
 * (settle time), and never twice.
 */
describe('noticing a live call whose media rtpengine dropped', () => {
  it('waits the settle time after a call is first tracked, then reports it once', async () => {
    let now = 0;
    const ng = new ListingNg();
    const sweeper = new RtpengineCallSweeper({ ng, settleMs: 5_000, clock: () => now });
    const lost: string[] = [];
    const reasons: string[] = [];
    sweeper.onMediaLost((callId, reason) => {
      lost.push(callId);
      reasons.push(reason);
    });
    sweeper.track('young');
    ng.held = [];
    now = 4_999;
    expect((await sweeper.sweep()).lost).toBe(0);
    now = 5_000;
    expect((await sweeper.sweep()).lost).toBe(1);
    expect(lost).toEqual(['young']);
    expect(reasons).toEqual(['rtpengine no longer holds the call']);
    expect((await sweeper.sweep()).lost).toBe(0);
    expect(sweeper.liveCount).toBe(0);
  });

  it('an rtpengine gone silent loses every live call at once, settled or not, with the reason; pending deletes stay for its return', () => {
    let now = 0;
    const sweeper = new RtpengineCallSweeper({ ng: new ListingNg(), settleMs: 5_000, clock: () => now });
    const lost: Array<[string, string]> = [];
    sweeper.onMediaLost((callId, reason) => lost.push([callId, reason]));
    sweeper.track('old');
    now = 60_000;
    sweeper.track('young');
    sweeper.deleteFailed('undeleted');
    expect(sweeper.loseAll('rtpengine udp://10.0.0.2:22222 stopped answering')).toBe(2);
    expect(lost).toEqual([['old', 'rtpengine udp://10.0.0.2:22222 stopped answering'], ['young', 'rtpengine udp://10.0.0.2:22222 stopped answering']]);
    expect(sweeper.liveCount).toBe(0);
    expect(sweeper.pending).toEqual(['undeleted']);
    expect(sweeper.loseAll('again')).toBe(0);
  });

  it('a call rtpengine still lists, or one the session released itself, is never reported', async () => {
    let now = 0;
    const ng = new ListingNg();
    const sweeper = new RtpengineCallSweeper({ ng, settleMs: 0, clock: () => now });
    const lost: string[] = [];
    sweeper.onMediaLost((callId) => lost.push(callId));
    sweeper.track('held');
    sweeper.track('ended');
    sweeper.release('ended');
    ng.held = ['held'];
    now = 60_000;
    expect(await sweeper.sweep()).toEqual({ lost: 0, deleted: 0, gone: 0, failed: 0 });
    expect(lost).toEqual([]);
  });
});
