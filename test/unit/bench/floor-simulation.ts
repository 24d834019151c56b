import type { FloorCallRow, FloorRun } from '../../../bench/floor/floor-run';
import { START, floorRun } from './floor-fixtures';

export interface SimulatedFloor {
  seed: number;
  calls: number;
  agents: number;
  compression: number;
  /** Mean patience, real seconds (exponential); null: everyone waits. */
  patienceSeconds?: number | null;
  /** Share of callers who have that patience; the others wait as long as it takes (default 1). */
  impatientShare?: number;
}

/**
 * A floor simulated in memory: Poisson callers, one FIFO queue, N agents each
 * taken by the next caller as soon as free, a fixed 4 s ring before the answer,
 * exponential talk (170 s), fixed wrap-up (10 s): the seeds' shape, 10 Erl of
 * agent time. With a patience, a caller whose wait for an agent would exceed
 * it hangs up then (FIFO: callers who give up never hold an agent, so each
 * caller's wait is set by those ahead who stay). A seeded generator keeps it
 * repeatable. Returns the FloorRun the harness would have collected.
 */
export function simulatedFloor({ seed, calls, agents, compression, patienceSeconds = null, impatientShare = 1 }: SimulatedFloor): FloorRun {
  let state = seed;
  const random = (): number => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const exponential = (mean: number): number => -Math.log(1 - random()) * mean;
  const arrivalsPerRealSecond = 10 / 184;
  const ringMs = 4000 / compression;
  const wrapMs = 10_000 / compression;
  const free: number[] = new Array<number>(agents).fill(START);
  const rows: FloorCallRow[] = [];
  let t = START;
  let talkingMs = 0;
  let answered = 0;
  for (let i = 0; i < calls; i++) {
    t += exponential(1000 / arrivalsPerRealSecond / compression);
    let agent = 0;
    for (let a = 1; a < agents; a++) if (free[a]! < free[agent]!) agent = a;
    const assignedAt = Math.max(t, free[agent]!);
    // Rows written out field by field: object spreads make the 100,000-call runs ten times slower.
    if (patienceSeconds !== null && random() < impatientShare) {
      const patienceMs = exponential((patienceSeconds * 1000) / compression);
      if (assignedAt - t > patienceMs) {
        rows.push({
          sipCallId: `sip-${i}`, callId: `call-${i}`, outcome: 'abandoned_queue', queue: 'operators', agentId: null,
          startedAtMs: t, queuedAtMs: t, answeredAtMs: null, endedAtMs: t + patienceMs, recording: null,
        });
        continue;
      }
    }
    const talk = exponential(170_000 / compression);
    free[agent] = assignedAt + ringMs + talk + wrapMs;
    talkingMs += talk;
    answered++;
    const answeredAtMs = assignedAt + ringMs;
    rows.push({
      sipCallId: `sip-${i}`, callId: `call-${i}`, outcome: 'answered', queue: 'operators', agentId: `agent-${agent}`,
      startedAtMs: t, queuedAtMs: t, answeredAtMs, endedAtMs: answeredAtMs + talk, recording: null,
    });
  }
  return floorRun(rows, {
    endedAtMs: Math.max(t, ...free),
    agentTime: { talkingMs, ringingMs: answered * ringMs, wrapUpMs: answered * wrapMs, readyMs: 0, loggedInMs: 1 },
  }, {
    agents, compression, arrivalSeconds: (t - START) / 1000, arrivalsPerSecond: arrivalsPerRealSecond * compression, patienceMeanSeconds: patienceSeconds,
    ...(impatientShare === 1 ? {} : { impatientShare }),
    talkMeanSeconds: 170, wrapUpSeconds: 10, ringDelaySeconds: { min: 4, max: 4 }, serviceLevelSeconds: 20,
  });
}
