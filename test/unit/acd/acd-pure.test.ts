import { AppError } from '../../../src/errors/app-error';
import { AGENT_STATES, AGENT_TRANSITIONS, canAgentTransition, type AgentState } from '../../../src/acd/agent-state';
import { canCallTransition } from '../../../src/acd/call-state';
import { estimateWait } from '../../../src/acd/estimated-wait';
import { AcdKeys, luaKeyBuilders } from '../../../src/acd/keys';
import { activeStageIndex, validateStages, type MatchStage } from '../../../src/acd/match-stage';
import { resolveQueueConfig } from '../../../src/acd/queue-config';
import { decodeQueueScore, encodeQueueScore } from '../../../src/acd/queue-score';
import { summarisePeriod, emptyCounters } from '../../../src/acd/queue-stats';
import { ManualClock } from '../../../src/acd/clock';
import { toAcdError } from '../../../src/acd/acd-error';

describe('agent transition table', () => {
  const allowed: [AgentState, AgentState][] = [
    ['logged_out', 'ready'], ['logged_out', 'not_ready'], ['ready', 'reserved'], ['ready', 'not_ready'], ['ready', 'logged_out'],
    ['reserved', 'on_call'], ['reserved', 'ready'], ['reserved', 'not_ready'], ['on_call', 'wrap_up'], ['wrap_up', 'wrap_up'],
    ['wrap_up', 'ready'], ['wrap_up', 'not_ready'], ['wrap_up', 'logged_out'], ['not_ready', 'ready'], ['not_ready', 'not_ready'],
    ['not_ready', 'logged_out'],
  ];
  it.each(AGENT_STATES.flatMap((from) => AGENT_STATES.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    const expected = allowed.some(([f, t]) => f === from && t === to);
    expect(canAgentTransition(from, to)).toBe(expected);
  });
  it('never lets an agent on a call go anywhere but wrap-up', () => {
    expect(AGENT_TRANSITIONS.on_call).toEqual(['wrap_up']);
  });
  it('call table: terminal states are final, waiting cannot jump to connected', () => {
    expect(canCallTransition('completed', 'waiting')).toBe(false);
    expect(canCallTransition('waiting', 'connected')).toBe(false);
    expect(canCallTransition('offered', 'waiting')).toBe(true);
  });
});

describe('queue score', () => {
  it.each([
    [9, 1_736_000_000_000, 1_736_000_000_000],
    [5, 1_736_000_000_000, 4e13 + 1_736_000_000_000],
    [0, 1_736_000_000_000, 9e13 + 1_736_000_000_000],
  ])('priority %i at %i → %i, and back', (priority, ticket, score) => {
    expect(encodeQueueScore(priority, ticket)).toBe(score);
    expect(decodeQueueScore(score)).toEqual({ priority, ticketMs: ticket });
  });
  it('higher priority sorts first; FIFO within a priority; stays below 10^14 (Lua prints 14 digits)', () => {
    expect(encodeQueueScore(9, 2e12)).toBeLessThan(encodeQueueScore(8, 1e12));
    expect(encodeQueueScore(5, 1000)).toBeLessThan(encodeQueueScore(5, 1001));
    expect(encodeQueueScore(0, 4_102_444_800_000)).toBeLessThan(1e14); // year 2100
  });
  it('refuses priorities outside 0–9', () => {
    expect(() => encodeQueueScore(10, 1)).toThrow(RangeError);
    expect(() => encodeQueueScore(-1, 1)).toThrow(RangeError);
  });
});

describe('estimated wait', () => {
  it.each([
    [{ position: 1, recentHandleTimesMs: [], agentsServing: 3, agentsReady: 0 }, { kind: 'unknown', why: 'no_handle_times' }],
    [{ position: 1, recentHandleTimesMs: [60_000], agentsServing: 0, agentsReady: 0 }, { kind: 'unknown', why: 'no_agents' }],
    [{ position: 3, recentHandleTimesMs: [60_000, 120_000], agentsServing: 3, agentsReady: 0 }, { kind: 'known', ms: 90_000 }],
    [{ position: 2, recentHandleTimesMs: [60_000], agentsServing: 2, agentsReady: 2 }, { kind: 'known', ms: 0 }],
  ])('%j → %j', (input, expected) => {
    expect(estimateWait(input)).toEqual(expected);
  });
});

describe('service-level figures', () => {
  it('computes both service-level definitions, ASA, AHT and abandon rate', () => {
    const raw = { ...emptyCounters(), offered: 10, answered: 8, answered_sl: 6, abandoned: 2, wait_answered_ms: 80_000, handled: 4, handle_ms: 800_000 };
    expect(summarisePeriod(raw, 20_000)).toMatchObject({
      serviceLevel: { thresholdMs: 20_000, ignoringAbandons: 0.75, countingAbandons: 0.6 },
      asaMs: 10_000,
      ahtMs: 200_000,
      abandonRate: 0.2,
    });
  });
  it('says null rather than 0 or NaN when there is nothing to divide by', () => {
    expect(summarisePeriod(emptyCounters(), 20_000)).toMatchObject({
      serviceLevel: { ignoringAbandons: null, countingAbandons: null }, asaMs: null, ahtMs: null, abandonRate: null,
    });
  });
});

describe('matching stages', () => {
  const plan: MatchStage[] = [
    { afterMs: 0, scope: { type: 'queue' }, skills: [{ skill: 'wholesale', minLevel: 3 }] },
    { afterMs: 30_000, scope: { type: 'queue' }, skills: [{ skill: 'wholesale', minLevel: 1 }] },
    { afterMs: 60_000, scope: { type: 'department', department: 'sales' } },
  ];
  it.each([[0, 0, 0], [29_999, 0, 0], [30_000, 0, 1], [60_000, 0, 2], [5_000, 1, 1], [5_000, 9, 2]])(
    'after %i ms (floor %i) stage %i is active',
    (elapsed, floor, index) => {
      expect(activeStageIndex(plan, elapsed, floor)).toBe(index);
    },
  );
  it('rejects plans that do not start at 0 or do not grow', () => {
    expect(validateStages([{ afterMs: 5, scope: { type: 'queue' } }]).map((d) => d.path)).toEqual(['stages[0].afterMs']);
    expect(validateStages([{ afterMs: 0, scope: { type: 'queue' } }, { afterMs: 0, scope: { type: 'queue' } }]).length).toBe(1);
    expect(validateStages([{ afterMs: 0, scope: { type: 'agents', agentIds: [] } }]).length).toBe(1);
  });
});

describe('queue config', () => {
  it('fills defaults: longest idle, 20 s service level, wait when empty', () => {
    expect(resolveQueueConfig({ id: 'sales' })).toMatchObject({ strategy: 'longest_idle', serviceLevelMs: 20_000, emptyPolicy: 'wait' });
  });
  it('lists every problem at once', () => {
    try {
      resolveQueueConfig({ id: 'bad id', maxWaitMs: -1, emptyPolicy: 'overflow' });
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).details.map((d) => d.path).sort()).toEqual(['id', 'maxWaitMs', 'overflow', 'overflow']);
    }
  });
});

describe('keys', () => {
  it('builds prefixed keys from the layout and the same names in Lua', () => {
    const keys = new AcdKeys('x:');
    expect(keys.get('waiting', 'sales')).toBe('x:q:sales:waiting');
    expect(keys.get('statsMinute', 'sales', '42')).toBe('x:st:sales:m:42');
    expect(() => keys.get('waiting')).toThrow(RangeError);
    expect(luaKeyBuilders()).toContain("K.waiting = function(p1) return P .. 'q:' .. p1 .. ':waiting' end");
  });
});

describe('clock and errors', () => {
  it('a manual clock only moves forward', () => {
    const clock = new ManualClock(1000);
    clock.advance(5);
    expect(clock.now()).toBe(1005);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
  it('maps script refusals to the catalogue and transport failures to DEPENDENCY_DOWN', () => {
    const refusal = toAcdError(new Error('ACD|ILLEGAL_TRANSITION|agent a: ready -> on_call| script: abc, on @user_script:1.'));
    expect([refusal.code, refusal.message, refusal.httpStatus]).toEqual(['ILLEGAL_TRANSITION', 'agent a: ready -> on_call', 409]);
    expect(toAcdError(new Error('connect ECONNREFUSED')).code).toBe('DEPENDENCY_DOWN');
  });
});
