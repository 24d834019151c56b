import { agentTime, fillInIvr, floorSnapshot, ivrStartDelays, logErrors, ringLatencies, type AcdEventRow } from '../../../bench/floor/floor-derive';
import { parseSippLog } from '../../../bench/floor/floor-scenarios';

const event = (atMs: number, type: string, more: Partial<AcdEventRow> = {}): AcdEventRow => ({ atMs, type, callId: null, agentId: null, data: {}, ...more });
const state = (atMs: number, agentId: number, from: string, to: string): AcdEventRow => event(atMs, 'agent_state', { agentId, data: { from, to } });

describe('floor derivations', () => {
  it('parses the lines the scenarios log ([timestamp] is date, time and epoch with microseconds)', () => {
    const lines = parseSippLog('invite;2026-12-06\t17:15:14.281000\t1796577314.281000;floor-2@bench;100\nnoise\n');
    expect(lines).toEqual([{ what: 'invite', atMs: 1796577314281, fields: ['floor-2@bench', '100'] }]);
  });

  it('ring latency: each phone INVITE against the latest reservation of its call before it', () => {
    const events = [event(1000, 'call_reserved', { callId: 'c1' }), event(5000, 'call_reserved', { callId: 'c1' }), event(2000, 'call_offered', { callId: 'c2' })];
    const phone = parseSippLog([
      'invite;d\tt\t1.004000;c1;floor-1@bench',
      'invite;d\tt\t5.012000;c1;floor-1@bench',
      'answered;d\tt\t5.500000;c1;floor-1@bench',
      'invite;d\tt\t2.010000;c2;floor-2@bench',
    ].join('\n'));
    expect(ringLatencies(events, phone).map((x) => Math.round(x))).toEqual([4, 12]);
  });

  it('agent time: each state held inside the window, summed over the floor\'s agents only', () => {
    const events = [
      state(500, 1, 'logged_out', 'ready'),
      state(2000, 1, 'ready', 'reserved'),
      state(2500, 1, 'reserved', 'on_call'),
      state(8000, 1, 'on_call', 'wrap_up'),
      state(9000, 1, 'wrap_up', 'ready'),
      state(3000, 2, 'ready', 'reserved'),
      state(4000, 99, 'ready', 'on_call'),
    ];
    expect(agentTime(events, new Set([1, 2]), 1000, 11000)).toEqual({
      // agent 1: ready 1000-2000 and 9000-11000, reserved 500, on call 5500, wrap-up 1000; agent 2: ready 2000, reserved 8000.
      readyMs: 3000 + 2000, ringingMs: 500 + 8000, talkingMs: 5500, wrapUpMs: 1000, loggedInMs: 20000,
    });
  });

  it('snapshots count the floor\'s agents by ACD state and every queue\'s waiting callers; callers in the IVR come from the rows', () => {
    const snap = floorSnapshot(100, {
      at: 100, queues: [{ waiting: 2 }, { waiting: 1 }],
      agents: [{ staffId: 1, acdState: 'on_call' }, { staffId: 2, acdState: 'ready' }, { staffId: 3, acdState: 'wrap_up' }, { staffId: 4, acdState: 'on_call' }],
    }, new Set([1, 2, 3]));
    expect(snap).toEqual({ atMs: 100, waiting: 3, inIvr: 0, talking: 1, agentsReady: 1, agentsWrapUp: 1 });
    expect(fillInIvr([snap], [{ fromMs: 50, toMs: 150 }, { fromMs: 100, toMs: null }, { fromMs: 10, toMs: 100 }])[0]!.inIvr).toBe(2);
  });

  it('log errors: level 50 and above, grouped with ids and numbers blanked', () => {
    const text = [
      JSON.stringify({ level: 50, msg: 'call failed', err: { message: 'timeout after 2000 ms on 3f2a1b4c-1111-2222-3333-444455556666' } }),
      JSON.stringify({ level: 50, msg: 'call failed', err: { message: 'timeout after 2500 ms on 9f2a1b4c-1111-2222-3333-444455556666' } }),
      JSON.stringify({ level: 40, msg: 'just a warning' }),
      JSON.stringify({ level: 60, msg: 'fatal thing' }),
      'Switchboard is up',
    ].join('\n');
    expect(logErrors(text)).toEqual([{ message: 'call failed — timeout after N ms on …', count: 2 }, { message: 'fatal thing', count: 1 }]);
  });

  it('IVR start delay: the caller\'s INVITE (sipp) to the row\'s IVR start, per call that has both', () => {
    const caller = parseSippLog('invite;d\tt\t10.000000;floor-1@bench;0\ninvite;d\tt\t11.000000;floor-2@bench;1');
    expect(ivrStartDelays(caller, [{ sipCallId: 'floor-1@bench', ivrStartedAtMs: 10_006 }, { sipCallId: 'floor-2@bench', ivrStartedAtMs: null }])).toEqual([6]);
  });
});
