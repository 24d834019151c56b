import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { freeMediaPort, registerPhone, runSipp, startSippPhone } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { sessionCallerScenario, sippErrors } from './call-session-kit';

const MARKET_CLIENT = '+74951000001';

/**
 * A BYE that never arrives (issue 14): the agent's desk phone vanishes in the
 * middle of a call — its process killed, so no BYE is sent. Every leg is asked
 * OPTIONS inside its dialog (here every 2 s; the phones answer them as real
 * ones do), and the leg that no longer answers ends the call: the caller gets
 * a BYE, the call row says why, the agent is not left on a dead call.
 */
describeWithDrachtio('a call whose agent phone vanished without a BYE, through real drachtio-server, rtpengine, Redis and Postgres', () => {
  let h: SystemHarness;
  let anna: string;
  let annaId: number;
  let phonePort: number;

  beforeAll(async () => {
    h = await startSystemHarness({ env: { CALL_KEEPALIVE_SECONDS: '2' } });
    anna = await h.login('anna', 'demo-pass-1');
    const { rows } = await h.db.query<{ staff_id: number }>("SELECT staff_id FROM users WHERE username = 'anna'");
    annaId = rows[0]!.staff_id;
    phonePort = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: phonePort, user: 'anna', password: 'demo-pass-1' })).toBe(0);
    // Only Anna takes calls.
    for (const login of ['olga', 'tatiana']) {
      const token = await h.login(login, 'demo-pass-1');
      const id = (await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login])).rows[0]!.staff_id;
      await h.api('POST', `/api/agents/${id}/state`, token, { state: 'not_ready', reason: 'break' });
    }
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => h.expectNothingLeft(), 30_000);

  it('ends the call within the probe interval and its answer time: the caller hears a BYE, the row names the lost leg, Anna goes to wrap-up', async () => {
    const startedAt = new Date();
    await h.api('POST', `/api/agents/${annaId}/state`, anna, { state: 'ready' });
    const phone = startSippPhone({ scenario: 'uas', port: phonePort, mediaPort: await freeMediaPort(), timeoutSeconds: 90, autoAnswer: true });
    const caller = runSipp({
      scenario: sessionCallerScenario({ from: MARKET_CLIENT, steps: [{ pauseMs: 2500 }, { key: '1' }, { awaitBye: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60, extraArgs: ['-aa'],
    });
    const state = async (): Promise<string> => (await h.api('GET', `/api/agents/${annaId}`, anna)).body.state as string;
    await expect(eventually(state, (s) => s === 'on_call', 20_000)).resolves.toBe('on_call');
    // Two probes answered while the phone is there: the call goes on.
    const talking = Date.now();
    await expect(eventually(state, (s) => s !== 'on_call' || Date.now() - talking > 4500, 6_000)).resolves.toBe('on_call');

    phone.stop();
    const vanishedAt = Date.now();
    const result = await caller;
    expect(sippErrors(result.errors)).toBe('');
    expect(result.successful).toBe(1);
    // The next probe (≤ 2 s) and its answer time (10 s).
    expect(Date.now() - vanishedAt).toBeLessThan(15_000);
    const row = await eventually(
      async () => (await h.db.query('SELECT outcome, hangup_side, hangup_cause, ended_at FROM calls WHERE started_at >= $1 ORDER BY started_at DESC LIMIT 1', [startedAt])).rows[0],
      (r) => r?.ended_at != null,
    );
    expect(row).toMatchObject({ outcome: 'answered', hangup_side: 'system' });
    expect(row.hangup_cause).toMatch(/^the agent's phone no longer holds the call \(in-dialog OPTIONS: /);
    expect(await state()).not.toBe('on_call');
  }, 90_000);
});
