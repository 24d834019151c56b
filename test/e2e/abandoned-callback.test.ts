import type { Browser, Page } from 'playwright-core';
import { freeTcpPort } from '../../src/platform/managed-process';
import type { WatchedPage } from '../helpers/browser';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { callerScenario, freeMediaPort, runSipp } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { answeringPhoneScenario, sippErrors, startPhone } from './call-session-kit';
import { afterSoftphoneTests, openSignedInSoftphone, phoneCall, saveWrapUp, takeOffTheQueue } from './softphone-kit';

/** A market client in the demo directory (Sadovod market, stall 14): an order (key 1 in the IVR) puts them in the operators' queue. */
const CLIENT = '+74951000001';
const CLIENT_NAME = 'Sadovod market, stall 14';
/** The outbound trunk answers on its own loopback address; hotline callers come from 127.0.0.1. */
const TRUNK_IP = '127.0.0.5';

// Issue 17 point 4 over real SIP: a caller who gave up waiting in a queue is listed in the operator's Messages tab,
// called back in one click (the server rings the browser, then the client through the trunk), and the outcome is
// recorded on the entry (the call-back's result) and in the call log (the outbound call, answered).
describeWithDrachtio('abandoned call called back from the softphone (Chromium, drachtio-server, rtpengine, sipp, Redis, Postgres)', () => {
  let h: SystemHarness | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage | undefined;
  let page: Page;
  let trunkPort: number;
  const staff: Record<string, number> = {};

  beforeAll(async () => {
    trunkPort = await freeTcpPort();
    h = await startSystemHarness({ env: { SIP_TRUNKS: `${TRUNK_IP}:${trunkPort},127.0.0.1/32` } });
    const { rows } = await h.db.query<{ username: string; staff_id: number }>('SELECT username, staff_id FROM users WHERE staff_id IS NOT NULL');
    for (const row of rows) staff[row.username] = row.staff_id;
    // Nobody serves the operators' queue: the caller waits until they give up.
    await takeOffTheQueue(h, staff, ['anna', 'ion', 'olga'], 'demo-pass-1');
    ({ browser, watched, page } = await openSignedInSoftphone(h, 'anna', 'demo-pass-1'));
  }, 180_000);

  afterSoftphoneTests(() => ({ h, browser, watched }));

  it('a caller hangs up waiting in the queue; Anna sees them under Abandoned calls, clicks Call back, the client answers at the trunk; the call-back is in the call log and Reached closes the entry', async () => {
    const system = h!;
    // The client: an order (1), waits in the queue with nobody ready, and hangs up.
    const caller = await runSipp({
      scenario: callerScenario({ from: CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 4000 }, { hangUp: true }] }),
      target: system.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(),
    });
    expect({ exitCode: caller.exitCode, errors: sippErrors(caller.errors) }).toEqual({ exitCode: 0, errors: '' });
    const abandoned = await eventually(
      async () => (await system.db.query("SELECT * FROM calls WHERE caller_e164 = $1 AND direction = 'inbound' ORDER BY started_at DESC LIMIT 1", [CLIENT])).rows[0],
      (c) => c?.ended_at != null,
    );
    expect(abandoned).toMatchObject({ outcome: 'abandoned_queue', queue_name: 'operators', hangup_side: 'caller' });

    // Anna's Messages tab lists the caller under Abandoned calls.
    await page.getByRole('tab', { name: /^Messages/ }).click();
    const entry = page.locator(`[data-abandoned="${abandoned.id}"]`);
    await entry.getByText(CLIENT_NAME).waitFor({ timeout: 15_000 });
    await entry.getByText('queue operators').waitFor();

    // One click: the server rings the browser (it answers by itself), then dials the client through the trunk, who answers.
    const trunk = startPhone({ scenario: answeringPhoneScenario({ reinvites: 0 }), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort(), rtpEcho: true });
    try {
      await entry.getByRole('button', { name: `Call back: ${CLIENT_NAME}` }).click();
      await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 20_000 });
      const onPhone = await phoneCall(page);
      expect(onPhone.direction).toBe('outbound');
      await page.getByTestId('client-name').getByText(CLIENT_NAME).waitFor({ timeout: 10_000 });
      await watched!.screenshot('softphone-abandoned-call-back');
      // Talking to the client: Anna records the outcome on the entry.
      await entry.getByRole('button', { name: `Reached: ${CLIENT_NAME}` }).click();
      await entry.waitFor({ state: 'detached', timeout: 10_000 });
      await page.getByRole('button', { name: /^Hang up/ }).first().click();
      expect(await trunk.done).toBe(0);
      await page.getByTestId('call-status').getByText('No call').waitFor({ timeout: 15_000 });

      // The call log: the call-back went out to the client's number, by Anna, answered.
      const callback = await eventually(
        async () => (await system.db.query('SELECT * FROM calls WHERE id = $1', [onPhone.callId])).rows[0],
        (c) => c?.ended_at != null, 20_000, 250,
      );
      expect(callback).toMatchObject({ direction: 'outbound', dialed_number: CLIENT, agent_id: staff.anna, outcome: 'answered', client_id: abandoned.client_id });
      // The entry: one attempt, reached, by Anna; the list (as the supervisors' page reads it) no longer has it.
      const attempts = await system.db.query('SELECT result, staff_id FROM abandoned_callbacks WHERE call_id = $1', [abandoned.id]);
      expect(attempts.rows).toEqual([{ result: 'reached', staff_id: staff.anna }]);
      const supervisor = await system.login('supervisor', 'demo-pass-1');
      const list = await system.api('GET', '/api/abandoned-calls?queue=operators', supervisor);
      expect(list.status).toBe(200);
      expect(list.body.map((e: { callId: string }) => e.callId)).not.toContain(abandoned.id);
      // The wrap-up asked for the call-back is closed, so the next test starts idle.
      await saveWrapUp(page, 'order_taken');
    } finally {
      trunk.stop();
    }
  }, 150_000);
});
