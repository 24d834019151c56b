import { ringFirst, RingFailed, type RingBranch } from '../../../src/sip/parallel-ring';
import type { SrfRequest } from '../../../src/sip/srf-types';
import { quietPeriod } from '../../helpers/eventually';

/** A device that answers or refuses after `ms`, and records whether it was CANCELled. */
function device(outcome: { answerAfterMs: number } | { refuseAfterMs: number; status: number } | 'rings'): RingBranch<string> & { cancelled: boolean; discarded: string[] } {
  const state = { cancelled: false, discarded: [] as string[] };
  let finish: ((v: string) => void) | null = null;
  let fail: ((e: Error) => void) | null = null;
  return Object.assign(state, {
    invite(sent: (req: SrfRequest) => void): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        finish = resolve;
        fail = reject;
        sent({ cancel: () => {
          state.cancelled = true;
          fail?.(Object.assign(new Error('487'), { status: 487 }));
        } } as unknown as SrfRequest);
        if (outcome === 'rings') return;
        if ('answerAfterMs' in outcome) setTimeout(() => finish?.('answer'), outcome.answerAfterMs);
        else setTimeout(() => fail?.(Object.assign(new Error(String(outcome.status)), { status: outcome.status })), outcome.refuseAfterMs);
      });
    },
    discard(answer: string) {
      state.discarded.push(answer);
    },
  });
}

const never = new Promise<never>(() => undefined);

describe('ringing every device of a person at once', () => {
  it('the first to answer wins and the others are CANCELled', async () => {
    const desk = device('rings');
    const browser = device({ answerAfterMs: 20 });
    const won = await ringFirst([desk, browser], { timeoutMs: 1000, stop: never });
    expect(won).toEqual({ answer: 'answer', index: 1 });
    expect(desk.cancelled).toBe(true);
    expect(browser.cancelled).toBe(false);
  });

  it('an answer after the winner is discarded (ACK + BYE), not left hanging', async () => {
    const first = device({ answerAfterMs: 10 });
    const second = device({ answerAfterMs: 10 });
    await ringFirst([first, second], { timeoutMs: 1000, stop: never });
    await quietPeriod(30, 'a late answer from the other device would have been discarded by now');
    expect(first.discarded.length + second.discarded.length).toBeLessThanOrEqual(1);
  });

  it('nobody answering in time CANCELs all and says no-answer; all refusing gives the most telling status', async () => {
    const a = device('rings');
    const b = device('rings');
    await expect(ringFirst([a, b], { timeoutMs: 30, stop: never })).rejects.toMatchObject({ failure: { kind: 'no-answer' } });
    expect(a.cancelled && b.cancelled).toBe(true);
    const refused = ringFirst([device({ refuseAfterMs: 5, status: 480 }), device({ refuseAfterMs: 10, status: 486 })], { timeoutMs: 1000, stop: never });
    await expect(refused).rejects.toMatchObject({ failure: { kind: 'refused', status: 486 } });
    await expect(ringFirst([], { timeoutMs: 10, stop: never })).rejects.toBeInstanceOf(RingFailed);
  });

  it('the caller leaving stops the ringing', async () => {
    const a = device('rings');
    let leave!: () => void;
    const left = new Promise<void>((resolve) => (leave = resolve));
    const ringing = ringFirst([a], { timeoutMs: 1000, stop: left });
    leave();
    await expect(ringing).rejects.toMatchObject({ failure: { kind: 'stopped' } });
    expect(a.cancelled).toBe(true);
  });
});
