import { AdmissionControl, type OverloadLimits, type OverloadReason, type OverloadSignals } from '../../../src/sip/overload/admission';

/**
 * The hotline's admission under overload (issue 16): calls are admitted
 * freely while the media answers promptly, the admission rate is cut when
 * rtpengine's round trip climbs and grows back once it is calm, every call is
 * refused for a while after an ng timeout or a late event loop, live calls
 * have a hard cap, and the band between "slow" and "calm" keeps the decision
 * from flapping.
 */

const LIMITS: OverloadLimits = { maxLiveCalls: 0, ngLatencyMs: 100, eventLoopDelayMs: 200, maxCallsPerSecond: 0, retryAfterSeconds: 7 };
const CALM: OverloadSignals = { ngLatencyMs: 3, ngTimeouts: 0, eventLoopDelayMs: 1, liveCalls: 10 };

interface Offered {
  admitted: number;
  refused: Partial<Record<OverloadReason, number>>;
}

/** Offers `perSecond` calls a second from `from` for `forMs`, each seeing the signals `signalsAt(t)`. */
function offer(control: AdmissionControl, perSecond: number, from: number, forMs: number, signalsAt: (t: number) => OverloadSignals = () => CALM): Offered {
  const result: Offered = { admitted: 0, refused: {} };
  const gap = 1000 / perSecond;
  for (let t = from; t < from + forMs; t += gap) {
    const decision = control.decide(signalsAt(t), t);
    if (decision.kind === 'admit') result.admitted += 1;
    else result.refused[decision.reason] = (result.refused[decision.reason] ?? 0) + 1;
  }
  return result;
}

const slow = (ngLatencyMs: number): OverloadSignals => ({ ...CALM, ngLatencyMs });
/** The AIMD mechanics below, without the wait before a first cut (tested on its own). */
const AT_ONCE = { slowForMs: 0 };

describe('admission of new hotline calls under overload', () => {
  it('admits every call while the media answers promptly, however many come', () => {
    const control = new AdmissionControl(LIMITS);
    expect(offer(control, 1000, 0, 5000)).toEqual({ admitted: 5000, refused: {} });
    expect(control.state(5000)).toEqual({ limitedBy: null, since: null, callsPerSecond: null, refusingAllUntil: null });
  });

  it('refuses at the live-call cap with the configured Retry-After, and admits again below it', () => {
    const control = new AdmissionControl({ ...LIMITS, maxLiveCalls: 5 });
    expect(control.decide({ ...CALM, liveCalls: 4 }, 0)).toEqual({ kind: 'admit' });
    expect(control.decide({ ...CALM, liveCalls: 5 }, 1)).toEqual({ kind: 'refuse', reason: 'live_calls', retryAfterSeconds: 7 });
    expect(control.decide({ ...CALM, liveCalls: 9 }, 2)).toEqual({ kind: 'refuse', reason: 'live_calls', retryAfterSeconds: 7 });
    expect(control.decide({ ...CALM, liveCalls: 4 }, 3)).toEqual({ kind: 'admit' });
    // The cap alone does not start shedding by rate.
    expect(control.state(3).limitedBy).toBeNull();
  });

  it('rising ng latency cuts the admission rate to half of what was being admitted, and again while it stays high, without refusing everything', () => {
    const control = new AdmissionControl(LIMITS, { ...AT_ONCE, decreaseFactor: 0.5 });
    // 200 calls/s admitted freely for 3 s, then rtpengine slows past the bound.
    expect(offer(control, 200, 0, 3000).admitted).toBe(600);
    const firstSecond = offer(control, 200, 3000, 500, () => slow(150));
    const state = control.state(3500);
    expect(state.limitedBy).toBe('ng_latency');
    expect(state.since).toBe(3000);
    // Half of 200/s over half a second is 50 calls; the rest are refused for the media's sake.
    expect(firstSecond.admitted).toBeGreaterThanOrEqual(45);
    expect(firstSecond.admitted).toBeLessThanOrEqual(55);
    expect(firstSecond.refused.ng_latency).toBe(100 - firstSecond.admitted);
    // Still slow: every half second the rate halves again, down to the floor, never to nothing.
    const nextHalf = offer(control, 200, 3500, 500, () => slow(150));
    expect(nextHalf.admitted).toBeGreaterThanOrEqual(20);
    expect(nextHalf.admitted).toBeLessThanOrEqual(30);
    offer(control, 200, 4000, 2500, () => slow(150));
    expect(control.state(6500).callsPerSecond).toBe(2);
    const atTheFloor = offer(control, 200, 6500, 1000, () => slow(150));
    expect(atTheFloor.admitted).toBeGreaterThanOrEqual(1);
    expect(atTheFloor.admitted).toBeLessThanOrEqual(3);
  });

  it('once the round trip is calm again the rate grows back, and the limit is lifted when no call has needed refusing for a while', () => {
    const control = new AdmissionControl(LIMITS, { ...AT_ONCE, increasePerSecond: 20, recoverMs: 3000 });
    offer(control, 100, 0, 2000);
    offer(control, 100, 2000, 600, () => slow(200));
    const cut = control.state(2600).callsPerSecond ?? 0;
    expect(cut).toBeLessThan(50);

    // Calm: +20 calls/s per second. With 100 offered per second, calls still need refusing, so the limit stays.
    offer(control, 100, 2600, 2000);
    const grown = control.state(4600).callsPerSecond ?? 0;
    expect(grown).toBeGreaterThan(cut + 35);
    expect(grown).toBeLessThan(cut + 45);
    expect(control.state(4600).limitedBy).toBe('ng_latency');

    // The rate passes what is offered: refusals stop, and after 3 s with none the limit is lifted.
    const recovering = offer(control, 100, 4600, 8000);
    expect(recovering.admitted).toBeGreaterThan(650);
    expect(control.state(12_600).limitedBy).toBeNull();
    expect(offer(control, 100, 12_600, 1000)).toEqual({ admitted: 100, refused: {} });
  });

  it('does not flap: between the bound and half of it the rate holds — no further cut, no growth, no lifting', () => {
    const control = new AdmissionControl(LIMITS, { ...AT_ONCE, recoverMs: 1000 });
    offer(control, 100, 0, 1000);
    offer(control, 100, 1000, 100, () => slow(120));
    const held = control.state(1100).callsPerSecond;
    // 60–90 ms: under the bound (no cut) but over half of it (not calm).
    const band = offer(control, 100, 1100, 10_000, (t) => slow(60 + (Math.floor(t) % 31)));
    expect(control.state(11_100)).toMatchObject({ limitedBy: 'ng_latency', callsPerSecond: held });
    expect(band.admitted).toBeGreaterThan(0);
    expect(band.refused.ng_latency).toBeGreaterThan(0);
  });

  it('a latency wobbling just around the bound keeps the limit on instead of switching it on and off', () => {
    // The floor is above what is offered, so only the signals, not refusals, decide whether the limit is lifted.
    const control = new AdmissionControl(LIMITS, { ...AT_ONCE, recoverMs: 1000, minCallsPerSecond: 30 });
    const states = new Set<string | null>();
    for (let t = 0; t < 20_000; t += 50) {
      // A brief spike over the bound every 2 s, just under it the rest of the time.
      control.decide(slow(t % 2000 < 100 ? 110 : 90), t);
      if (t >= 100) states.add(control.state(t).limitedBy);
    }
    expect([...states]).toEqual(['ng_latency']);
  });

  it('a round trip past the bound for less than slowForMs is a blip: nothing is refused and no limit starts', () => {
    const control = new AdmissionControl(LIMITS, { slowForMs: 1000 });
    offer(control, 400, 0, 2000);
    // 900 ms at 150 ms (past the bound, under three times it), then calm again — as bench:sip saw at 400 calls/s.
    const blip = offer(control, 400, 2000, 900, () => slow(150));
    const after = offer(control, 400, 2900, 2000);
    expect([blip, after]).toEqual([{ admitted: 360, refused: {} }, { admitted: 800, refused: {} }]);
    expect(control.state(4900).limitedBy).toBeNull();
  });

  it('a round trip past the bound for slowForMs cuts the rate from then on', () => {
    const control = new AdmissionControl(LIMITS, { slowForMs: 1000, decreaseFactor: 0.5 });
    offer(control, 200, 0, 2000);
    const waiting = offer(control, 200, 2000, 1000, () => slow(150));
    expect(waiting).toEqual({ admitted: 200, refused: {} });
    const cut = offer(control, 200, 3000, 500, () => slow(150));
    expect(control.state(3500)).toMatchObject({ limitedBy: 'ng_latency', since: 3000 });
    expect(cut.refused.ng_latency).toBeGreaterThan(40);
    expect(cut.admitted).toBeLessThan(60);
  });

  it('a round trip past three times the bound refuses every new call for the hold time, so that the backlog drains before admitted calls time out', () => {
    const control = new AdmissionControl(LIMITS, { holdMs: 2000 });
    offer(control, 200, 0, 1000);
    expect(offer(control, 200, 1000, 1000, () => slow(301))).toEqual({ admitted: 0, refused: { ng_latency: 200 } });
    expect(control.state(2000)).toMatchObject({ limitedBy: 'ng_latency', refusingAllUntil: 1995 + 2000 });
    // Just under three times the bound: slowed down (the rate was cut once, at the start of the hold), not refused outright.
    const after = offer(control, 200, 4000, 1000, () => slow(299));
    expect(after.admitted).toBeGreaterThan(0);
    expect(after.refused.ng_latency).toBeGreaterThan(0);
  });

  it('an ng timeout refuses every new call for the hold time, then admits again at the cut rate', () => {
    const control = new AdmissionControl(LIMITS, { holdMs: 2000 });
    offer(control, 100, 0, 1000);
    const timedOut = { ...CALM, ngLatencyMs: 400, ngTimeouts: 1 };
    const during = offer(control, 100, 1000, 1000, () => timedOut);
    expect(during).toEqual({ admitted: 0, refused: { ng_timeouts: 100 } });
    expect(control.state(2000).refusingAllUntil).toBe(1990 + 2000);
    // The timeout has left the signal's window; the hold ends 2 s after the last look that saw it.
    const held = offer(control, 100, 2000, 2000, () => slow(40));
    expect(held.refused.ng_timeouts).toBe(199);
    expect(held.admitted).toBeGreaterThan(0);
    expect(control.state(4000).refusingAllUntil).toBeNull();
  });

  it('a late event loop refuses every new call for the hold time too', () => {
    const control = new AdmissionControl(LIMITS, { holdMs: 1000 });
    expect(control.decide({ ...CALM, eventLoopDelayMs: 350 }, 0)).toEqual({ kind: 'refuse', reason: 'event_loop', retryAfterSeconds: 7 });
    expect(control.decide(CALM, 999)).toMatchObject({ kind: 'refuse', reason: 'event_loop' });
    expect(control.state(999).limitedBy).toBe('event_loop');
    // After the hold the cut rate (the floor here: nothing had been admitted) lets calls in again.
    expect(offer(control, 100, 1000, 2000).admitted).toBeGreaterThan(0);
  });

  it('never admits more than the configured calls per second, calm or not', () => {
    const control = new AdmissionControl({ ...LIMITS, maxCallsPerSecond: 50 });
    const result = offer(control, 200, 0, 4000);
    expect(result.admitted).toBeGreaterThanOrEqual(200);
    expect(result.admitted).toBeLessThanOrEqual(211);
    expect(result.refused.call_rate).toBe(800 - result.admitted);
  });

  it('a limit of 0 is off: no cap, no latency or loop bound', () => {
    const control = new AdmissionControl({ maxLiveCalls: 0, ngLatencyMs: 0, eventLoopDelayMs: 0, maxCallsPerSecond: 0, retryAfterSeconds: 5 });
    const result = offer(control, 500, 0, 2000, () => ({ ngLatencyMs: 1500, ngTimeouts: 0, eventLoopDelayMs: 900, liveCalls: 100_000 }));
    expect(result).toEqual({ admitted: 1000, refused: {} });
  });
});
