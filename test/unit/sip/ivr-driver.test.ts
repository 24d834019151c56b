import { IvrRun, type IvrPathStep } from '../../../src/ivr/ivr-run';
import { DEFAULT_FLOW } from '../../../src/ivr/default-flow';
import { DEFAULT_PROMPTS } from '../../../src/ivr/default-prompts';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import { createRootLogger } from '../../../src/logger';
import { IvrDriver, type IvrEnd, type IvrMedia } from '../../../src/sip/ivr-driver';
import { OPEN_AT } from '../ivr/ivr-harness';

/**
 * The IVR driver on a fake media session and a fake clock: the nodes the
 * caller goes through reach the call's timeline as they are entered, each
 * with its own time — not all at once when the IVR ends.
 */
describe('IVR driver: the timeline as it happens', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reports greeting, hours and menu before the key press, and the branch after it, each with the time it was entered', async () => {
    let now = OPEN_AT;
    const played: string[] = [];
    const media: IvrMedia = {
      playPrompt: (file: string) => { played.push(file); return Promise.resolve({ durationMs: 2000, startedAt: now }); },
      stopPlayback: () => Promise.resolve(),
    };
    const run = new IvrRun({ flow: DEFAULT_FLOW, catalogue: DEFAULT_PROMPTS, context: { client: null, businessHours: DEFAULT_ROUTING_CONFIG.businessHours }, clock: { now: () => now } });
    const timeline: Array<IvrPathStep | string> = [];
    const driver = new IvrDriver(run, media, (id) => `/prompts/${id}.wav`, createRootLogger('silent'), (step) => timeline.push(step));
    let end: IvrEnd | null = null;
    void driver.ended.then((e) => (end = e));

    driver.start();
    await jest.advanceTimersByTimeAsync(0);
    // The shipped greeting has variants: the one played (the first, nobody choosing here) is on its step.
    expect(timeline).toEqual([{ nodeId: 'greeting', at: OPEN_AT, variant: 'greeting' }]);

    // The greeting plays out: the menu is entered at that moment, before any key.
    now = OPEN_AT + 2000;
    await jest.advanceTimersByTimeAsync(2000);
    expect(timeline.map((s) => (typeof s === 'string' ? s : s.nodeId))).toEqual(['greeting', 'hours', 'main_menu']);
    expect((timeline[2] as IvrPathStep).at).toBe(OPEN_AT + 2000);
    timeline.push('key 0');

    now = OPEN_AT + 3500;
    driver.digit('0');
    await jest.advanceTimersByTimeAsync(0);
    expect(timeline).toEqual([
      { nodeId: 'greeting', at: OPEN_AT, variant: 'greeting' }, { nodeId: 'hours', at: OPEN_AT + 2000 }, { nodeId: 'main_menu', at: OPEN_AT + 2000 },
      'key 0', { nodeId: 'route_operator', at: OPEN_AT + 3500 },
    ]);
    expect(end).toMatchObject({ kind: 'route' });
    expect(played[0]).toBe('/prompts/greeting.wav');
    driver.stop();
  });
});
