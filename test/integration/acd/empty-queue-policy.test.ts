import type { Acd } from '../../../src/acd';
import { ofType, operator, useAcdHarness } from './acd-harness';

describe('ACD empty-queue policy for callers already waiting when the last agent leaves (real Redis)', () => {
  let acd: Acd;
  const h = useAcdHarness(async (fresh) => {
    acd = fresh;
    await acd.defineQueue({ id: 'backup' });
    await acd.defineQueue({ id: 'q-over', emptyPolicy: 'overflow', overflow: { type: 'queue', queueId: 'backup' } });
    await acd.defineQueue({ id: 'q-cb', emptyPolicy: 'callback' });
    await acd.defineQueue({ id: 'q-wait' });
  });

  async function present(id: string, queues: string[]): Promise<void> {
    await acd.upsertAgent(operator(id, { queues }));
    await acd.transition(id, 'not_ready', { reason: 'break' });
  }

  it('overflow: the waiting callers move on when the last logged-in agent logs out, not before', async () => {
    await present('a1', ['q-over']);
    await present('a2', ['q-over']);
    for (const id of ['c1', 'c2']) {
      expect((await acd.enqueue({ callId: id, queueId: 'q-over' })).outcome).toBe('queued');
      h.clock.advance(1000);
    }
    await acd.transition('a1', 'logged_out');
    expect(await acd.waitingCalls('q-over')).toEqual(['c1', 'c2']); // a2 is still logged in
    await acd.transition('a2', 'logged_out');
    expect(await acd.waitingCalls('q-over')).toEqual([]);
    expect(await acd.waitingCalls('backup')).toEqual(['c1', 'c2']); // in their order
    const moved = ofType(await h.events(acd), 'call_overflowed');
    expect(moved.map((e) => [e.callId, e.reason, e.target, e.fromQueue])).toEqual([
      ['c1', 'empty_queue', 'queue', 'q-over'], ['c2', 'empty_queue', 'queue', 'q-over'],
    ]);
    expect((await acd.stats('q-over')).today.overflowed).toBe(2);
  });

  it('callback: waiting callers with a number become callback requests at their place; the others keep waiting', async () => {
    await present('a1', ['q-cb']);
    await acd.enqueue({ callId: 'with-number', queueId: 'q-cb', callerNumber: '+74951234567' });
    h.clock.advance(1000);
    await acd.enqueue({ callId: 'anonymous', queueId: 'q-cb' });
    await acd.transition('a1', 'logged_out');
    expect(await acd.waitingCalls('q-cb')).toEqual(['with-number', 'anonymous']);
    expect(await acd.getCall('with-number')).toMatchObject({ kind: 'callback', callbackNumber: '+74951234567', owner: '' });
    expect((await acd.getCall('anonymous'))?.kind).toBe('call');
    expect(ofType(await h.events(acd), 'callback_requested').map((e) => [e.callId, e.reason])).toEqual([['with-number', 'empty_queue']]);
    expect((await acd.stats('q-cb')).today.callbacks.requested).toBe(1);
  });

  it('an agent leaving the queue in their profile is the same transition', async () => {
    await present('a1', ['q-over', 'q-wait']);
    await acd.enqueue({ callId: 'c1', queueId: 'q-over' });
    await acd.upsertAgent(operator('a1', { queues: ['q-wait'] }));
    expect(await acd.waitingCalls('backup')).toEqual(['c1']);
  });

  it('wait: nothing moves; and an agent of another queue logging out changes nothing', async () => {
    await present('a1', ['q-wait']);
    await present('a2', ['q-over']);
    await acd.enqueue({ callId: 'w1', queueId: 'q-wait' });
    await acd.enqueue({ callId: 'o1', queueId: 'q-over' });
    await acd.transition('a1', 'logged_out');
    expect(await acd.waitingCalls('q-wait')).toEqual(['w1']);
    expect(await acd.waitingCalls('q-over')).toEqual(['o1']);
  });
});
