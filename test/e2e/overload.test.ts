import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { freeMediaPort, runSipp } from '../helpers/sipp';
import { refusableCallerScenario } from '../helpers/sipp-scenario';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

/** The most hotline calls the system under test may hold at once. */
const MAX_LIVE_CALLS = 5;
/** Callers offered, and how fast: four times what the cap lets through while each call lasts 2.5 s. */
const CALLERS = 60;
const CALLS_PER_SECOND = 20;

/**
 * Overload, through the whole system (issue 16): with the live-call cap at 5,
 * sipp callers flood the hotline far faster than calls end. Every call is
 * either admitted — answered, into the IVR greeting, ended by the caller with
 * one call row — or refused at once with 503, the overload reason and a
 * Retry-After; none fails half-way, and no rtpengine session is left.
 */
describeWithDrachtio('overload: a flood of hotline callers through drachtio-server, rtpengine, Redis and Postgres', () => {
  let h: SystemHarness;

  beforeAll(async () => {
    h = await startSystemHarness({ env: { OVERLOAD_MAX_LIVE_CALLS: String(MAX_LIVE_CALLS), OVERLOAD_RETRY_AFTER_SECONDS: '3' } });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const refusedOnMetrics = async (): Promise<number> => {
    const text = await (await h.fetch(`${h.baseUrl}/metrics`)).text();
    const line = /^switchboard_calls_refused_overload_total\{reason="live_calls"\} (\d+)$/m.exec(text);
    return Number(line?.[1] ?? 0);
  };

  it('admits what it can carry and refuses the rest with 503 + Retry-After: every admitted call completes, one row each, nothing left', async () => {
    const startedAt = new Date();
    const flood = runSipp({
      scenario: refusableCallerScenario({
        from: '+74957770000', to: 'hotline', steps: [{ pauseMs: 2500 }, { hangUp: true }],
        refusal: { status: 503, reason: 'Service Unavailable \\(overloaded: too many calls\\)' },
      }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(),
      calls: CALLERS, rate: CALLS_PER_SECOND, timeoutSeconds: 60,
    });
    // While it sheds, /readyz says so for monitoring, and the process stays ready (a load balancer keeps sending to it).
    const readiness = await eventually(
      async () => {
        const response = await h.fetch(`${h.baseUrl}/readyz`);
        const body = (await response.json()) as { ready: boolean; components: Array<{ name: string; state: string; required: boolean }> };
        return { status: response.status, ready: body.ready, overload: body.components.find((c) => c.name === 'overload') };
      },
      (r) => r.overload?.state === 'down',
    );
    expect(readiness).toMatchObject({ status: 200, ready: true, overload: { state: 'down', required: false } });
    const callers = await flood;
    // Each caller went one of the two ways, and checked its answer (the refusal's reason and Retry-After).
    expect(callers.errors).toBe('');
    expect({ successful: callers.successful, failed: callers.failed }).toEqual({ successful: CALLERS, failed: 0 });

    const rows = await eventually(
      async () => (await h.db.query('SELECT outcome, hangup_side, hangup_cause, ivr_path, ended_at FROM calls WHERE started_at >= $1', [startedAt])).rows,
      (r) => r.every((row) => row.ended_at != null),
    );
    const refused = await refusedOnMetrics();
    // The cap let calls in (the first five at least, more as they ended), and the flood was mostly refused.
    expect(rows.length).toBeGreaterThanOrEqual(MAX_LIVE_CALLS);
    expect(refused).toBeGreaterThan(CALLERS / 2);
    // Every caller is either a call row (admitted) or a refusal: none fell between.
    expect(rows.length + refused).toBe(CALLERS);
    for (const row of rows) {
      expect(row).toMatchObject({ hangup_side: 'caller' });
      expect((row.ivr_path as Array<{ nodeId: string }>)[0]?.nodeId).toBe('greeting');
    }
    await h.expectNothingLeft();
  }, 120_000);
});
