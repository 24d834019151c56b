import { runFloor } from '../../bench/floor/floor-bench';
import { SILENT_RMS } from '../../bench/floor/floor-metrics';
import { parseFloorArgs } from '../../bench/floor/floor-plan';
import type { FloorRun } from '../../bench/floor/floor-run';
import { describeWithDrachtio } from '../helpers/drachtio';

/**
 * `npm run bench:floor -- --quick` as a test (issue 16): 50 agents with sipp
 * phones, 2 minutes of Poisson callers (compression 10) through the whole
 * system started as `npm start` does. It asserts correctness only — every
 * call has its row, every answered call a recording with sound on both
 * channels, nothing left over, no errors, every agent back to Ready — never
 * a time: the figures are the benchmark's to print.
 */
describeWithDrachtio('the quick floor run (bench:floor --quick)', () => {
  let run: FloorRun;

  beforeAll(async () => {
    run = await runFloor(parseFloorArgs(['--quick']), 'ci', () => undefined);
  }, 480_000);

  it('placed calls, and every placed call has exactly one call row (a caller refused by the overload control, none)', () => {
    expect(run.placed.length).toBeGreaterThan(50);
    const rowsPerCall = new Map<string, number>();
    for (const row of run.rows) rowsPerCall.set(row.sipCallId, (rowsPerCall.get(row.sipCallId) ?? 0) + 1);
    // A 503 with Retry-After opens no row by design (the overload control counts it instead); any other caller must have one.
    const refused = new Set(run.refusedSipCallIds ?? []);
    const wrong = run.placed
      .filter((c) => rowsPerCall.get(c.sipCallId) !== (refused.has(c.sipCallId) ? undefined : 1))
      .map((c) => `${c.sipCallId}: ${rowsPerCall.get(c.sipCallId) ?? 0} rows${refused.has(c.sipCallId) ? ' (refused)' : ''}`);
    expect(wrong).toEqual([]);
    expect(run.rows.every((r) => r.endedAtMs !== null)).toBe(true);
  });

  it('agents answered calls, and every answered call has a recording with sound from both the caller and the agent', () => {
    const answered = run.rows.filter((r) => r.outcome === 'answered');
    expect(answered.length).toBeGreaterThan(run.placed.length / 2);
    const bad = answered
      .filter((r) => !r.recording || r.recording.callerRms < SILENT_RMS || r.recording.agentRms < SILENT_RMS)
      .map((r) => `${r.sipCallId}: ${r.recording ? `caller rms ${Math.round(r.recording.callerRms)}, agent rms ${Math.round(r.recording.agentRms)} (${r.recording.path})` : 'no recording'}`);
    expect(bad).toEqual([]);
  });

  it('leaves no rtpengine session, no error in Switchboard\'s log, and every agent Ready again', () => {
    expect(run.rtpengineSessionsLeft).toBe(0);
    expect(run.logErrors).toEqual([]);
    expect(run.agentStatesAtEnd).toEqual({ ready: run.settings.agents + Object.values(run.agentRoles ?? {}).filter((role) => role !== 'operator').length });
  });
});
