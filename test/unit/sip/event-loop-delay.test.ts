import { EventLoopDelay } from '../../../src/sip/overload/event-loop-delay';
import { quietPeriod } from '../../helpers/eventually';

/**
 * The event loop signal of the overload control (issue 16): a loop late on
 * every turn shows, the start-up's own pause does not.
 */

const busyFor = (ms: number): void => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Holding the loop, as a saturated process does between two turns.
  }
};

describe('the event loop delay signal', () => {
  let monitor: EventLoopDelay;
  afterEach(() => monitor.stop());

  it('leaves out the first window: a long pause right after start is the start-up, not overload', () => {
    monitor = new EventLoopDelay(200);
    monitor.start();
    busyFor(300);
    expect(monitor.read()).toBe(0);
  });

  it('reads a loop held on every turn as late by about as long as it is held', async () => {
    monitor = new EventLoopDelay(200);
    monitor.start();
    // Past the warm-up window, then every turn of the loop held 40 ms for a second.
    await quietPeriod(250, 'the first window is left out by design: the lateness must fall in a later one');
    const until = Date.now() + 1000;
    while (Date.now() < until) {
      busyFor(40);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(monitor.read()).toBeGreaterThan(15);
  });
});
