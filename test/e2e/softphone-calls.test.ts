import type { Browser, Page } from 'playwright-core';
import { freeTcpPort } from '../../src/platform/managed-process';
import { openPage, signIn, type WatchedPage } from '../helpers/browser';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually, quietPeriod } from '../helpers/eventually';
import { freeMediaPort, registerPhone, runSipp, type SippResult, startSippPhone } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { sessionCallerScenario, type SessionCallerStep } from './call-session-kit';
import { afterSoftphoneTests, agentReady, launchSoftphoneBrowser, phoneCall, prepareSoftphoneContext, rtpFigures, talkingCaller } from './softphone-kit';

/** A market client in the demo directory (Sadovod market, stall 14, manager Anna). */
const MARKET_CLIENT = '+74951000001';

// The operator's browser softphone in headless Chromium (sip.js over WebSocket to drachtio-server) answering real calls
// from sipp callers through the IVR and the ACD, with media through rtpengine.
describeWithDrachtio('softphone in Chromium on real calls (drachtio-server, rtpengine, sipp, Redis, Postgres)', () => {
  let h: SystemHarness;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  let anna: string;
  const staff: Record<string, number> = {};

  const call = (callId: string) => h.db.query('SELECT * FROM calls WHERE id = $1', [callId]).then((r) => r.rows[0] as Record<string, any> | undefined);
  const eventsOf = async (callId: string) => (await h.db.query('SELECT type, data FROM call_events WHERE call_id = $1 ORDER BY seq', [callId])).rows as Array<{ type: string; data: any }>;
  const phoneStatus = (): Promise<string | null> => page.getByTestId('phone-status').textContent();
  const currentCallId = async (): Promise<string | null> => (await phoneCall(page)).callId;
  const caller = async (steps: SessionCallerStep[]): Promise<SippResult> => runSipp({
    scenario: sessionCallerScenario({ from: MARKET_CLIENT, steps }),
    target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 90,
  });

  /** Anna Ready with no call and no wrap-up form left from an earlier test. */
  const annaReady = (): Promise<void> => agentReady(h, page, staff.anna!, anna);

  beforeAll(async () => {
    h = await startSystemHarness();
    const { rows } = await h.db.query<{ username: string; staff_id: number }>("SELECT username, staff_id FROM users WHERE staff_id IS NOT NULL");
    for (const row of rows) staff[row.username] = row.staff_id;
    anna = await h.login('anna', 'demo-pass-1');
    // Only Anna takes operator calls here.
    for (const other of ['ion', 'olga']) {
      const token = await h.login(other, 'demo-pass-1');
      await h.api('POST', `/api/agents/${staff[other]}/state`, token, { state: 'not_ready', reason: 'break' });
    }
    browser = await launchSoftphoneBrowser();
    watched = await openPage(browser);
    page = watched.page;
    await prepareSoftphoneContext(watched.context);
    await signIn(page, h.baseUrl, 'softphone', 'anna', 'demo-pass-1');
  }, 180_000);

  afterSoftphoneTests(() => ({ h, browser, watched }));

  it('registers over WebSocket and goes Ready', async () => {
    await page.getByTestId('phone-status').getByText('Phone: registered').waitFor({ timeout: 20_000 });
    await page.getByTestId('server-status').getByText('Server: live').waitFor();
    await page.getByRole('button', { name: /^Ready/ }).click();
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
    expect((await h.api('GET', `/api/agents/${staff.anna}`, anna)).body.state).toBe('ready');
    await watched.screenshot('softphone-idle');
  }, 60_000);

  it('an incoming call rings with the client card on screen; answered, audio flows both ways; mute, DTMF; wrap-up saved to the call record', async () => {
    await annaReady();
    const callerDone = caller(talkingCaller(3));
    await page.getByTestId('call-status').getByText('Incoming call').waitFor({ timeout: 20_000 });
    // The card is there before anyone answers.
    await page.getByTestId('client-card').getByText('Ringing — not answered yet').waitFor();
    await page.getByTestId('client-name').getByText('Sadovod market, stall 14').waitFor();
    await expect(page.getByTestId('routing-reason').textContent()).resolves.toBe('order from market client Sadovod market, stall 14 — queue operators, priority 5');
    const callId = await currentCallId();
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    await watched.screenshot('softphone-ringing');

    await page.getByRole('button', { name: /^Answer/ }).click();
    await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
    // Audio both ways, read from the browser's own counters (asserted at the end, so that every other step is checked too).
    const flowing = await eventually(() => rtpFigures(page), (f) => f.received > 50 && f.sent > 50, 15_000, 250);

    // Mute stops our microphone track; unmute brings it back.
    await page.getByRole('button', { name: /^Mute/ }).click();
    await expect(page.getByRole('button', { name: /^Unmute/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.evaluate(() => window.__softphone?.peerConnection()?.getSenders().every((s) => s.track?.enabled === false))).resolves.toBe(true);
    await page.getByRole('button', { name: /^Unmute/ }).click();
    await expect(page.evaluate(() => window.__softphone?.peerConnection()?.getSenders().some((s) => s.track?.enabled === true))).resolves.toBe(true);

    // DTMF as SIP INFO: each key is shown once the server has accepted it.
    await page.getByRole('button', { name: 'Keypad' }).click();
    await page.getByRole('button', { name: 'Send key 5' }).click();
    await page.getByRole('button', { name: 'Send key #' }).click();
    await page.getByTestId('dtmf-sent').getByText('5#').waitFor({ timeout: 10_000 });
    await watched.screenshot('softphone-in-call');

    // The caller hangs up: the wrap-up form comes up for this call.
    const result = await callerDone;
    expect(result.errors).toBe('');
    expect(result.successful).toBe(1);
    const form = page.getByTestId('wrap-up-form');
    await form.waitFor({ timeout: 15_000 });
    await page.getByTestId('agent-state').getByText('Wrap-up').waitFor();
    await form.getByLabel('Disposition').selectOption('order_taken');
    await form.getByLabel('Notes').fill('Weekly order, delivery Thursday.');
    await form.getByLabel('Order reference (optional)').fill('ORD-1001');
    await form.getByLabel('Order amount (optional)').fill('8400');
    await watched.screenshot('softphone-wrap-up');
    await form.getByRole('button', { name: 'Save and get ready' }).click();
    await form.getByText('Saved to the call record.').waitFor();
    await page.getByTestId('agent-state').getByText('Ready').waitFor();

    const row = await eventually(() => call(callId!), (c) => c?.ended_at != null && c?.disposition_code != null, 20_000, 250);
    expect(row).toMatchObject({ outcome: 'answered', agent_id: staff.anna, disposition_code: 'order_taken', hangup_side: 'caller' });
    const types = (await eventsOf(callId!)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['agent_answered']));
    const wrapUp = await h.db.query('SELECT order_reference, order_amount::float AS amount FROM wrap_ups WHERE call_id = $1', [callId]);
    expect(wrapUp.rows).toEqual([{ order_reference: 'ORD-1001', amount: 8400 }]);
    expect(flowing.received).toBeGreaterThan(50);
    expect(flowing.sent).toBeGreaterThan(50);
  }, 120_000);

  it('hold and resume from the browser: the caller is re-INVITEd recvonly then sendrecv, the hold is timed on the record, and audio flows both ways again after resume', async () => {
    await annaReady();
    // The caller's audio is played once, after the resume: sipp replays its pcap with the same RTP sequence numbers,
    // and a second playback would be dropped by the browser's SRTP replay protection.
    // No pause between the key and the hold: sipp takes a request that arrives during a pause for an unexpected
    // message and hangs up, so the caller waits for the re-INVITE from the moment it has chosen (a fresh-clone run
    // under load pressed Hold before a 1 s pause here was over).
    const callerDone = caller([
      { pauseMs: 2500 }, { key: '1' }, { reinvite: 'recvonly' }, { reinvite: 'sendrecv' }, { audio: true }, { pauseMs: 7000 }, { hangUp: true },
    ]);
    await page.getByTestId('call-status').getByText('Incoming call').waitFor({ timeout: 20_000 });
    const callId = await currentCallId();
    await page.getByRole('button', { name: /^Answer/ }).click();
    await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
    await eventually(() => rtpFigures(page), (f) => f.sent > 50, 15_000, 250);

    // Hold: the page says so and the button turns into Resume; the browser's re-INVITE offered sendonly.
    await page.keyboard.press('h');
    await page.getByTestId('call-status').getByText('On hold — the caller hears music').waitFor({ timeout: 10_000 });
    await expect(page.getByRole('button', { name: /^Resume/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    await watched.screenshot('softphone-on-hold');
    await quietPeriod(4000, 'the caller stays on hold long enough to measure the hold time');
    const beforeResume = await rtpFigures(page);
    await page.getByRole('button', { name: /^Resume/ }).click();
    await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
    // After resume the media path is whole again both ways (the caller plays 7 s of audio after the second re-INVITE).
    const resumed = await eventually(() => rtpFigures(page), (f) => f.received > beforeResume.received + 50 && f.sent > beforeResume.sent + 50, 15_000, 250);

    const result = await callerDone;
    expect(result.errors).toBe('');
    expect(result.successful).toBe(1);
    await page.getByTestId('wrap-up-form').waitFor({ timeout: 15_000 });
    const row = await eventually(() => call(callId!), (c) => c?.ended_at != null, 20_000, 250);
    expect(row).toMatchObject({ outcome: 'answered', agent_id: staff.anna, hangup_side: 'caller' });
    const events = await eventsOf(callId!);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['agent_answered', 'hold', 'resume']));
    // Held about 4 s (the test's pause plus the two re-INVITE round trips).
    expect(row!.hold_ms).toBeGreaterThan(3500);
    expect(row!.hold_ms).toBeLessThan(7000);
    await page.getByRole('button', { name: 'End wrap-up' }).click();
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
    expect(resumed.received).toBeGreaterThan(beforeResume.received + 50);
    expect(resumed.sent).toBeGreaterThan(beforeResume.sent + 50);
  }, 120_000);

  it('blind transfer to the finance queue: the browser\'s line ends, Tatiana\'s desk phone takes the caller, the call row shows both agents', async () => {
    const tatiana = await h.login('tatiana', 'demo-pass-1');
    const tatianaPhone = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: tatianaPhone, user: 'tatiana', password: 'demo-pass-1' })).toBe(0);
    await h.api('POST', `/api/agents/${staff.tatiana}/state`, tatiana, { state: 'ready' });
    const desk = startSippPhone({ scenario: 'uas', port: tatianaPhone, mediaPort: await freeMediaPort(), timeoutSeconds: 90 });
    try {
      await annaReady();
      const callerDone = caller(talkingCaller(3));
      await page.getByTestId('call-status').getByText('Incoming call').waitFor({ timeout: 20_000 });
      const callId = await currentCallId();
      await page.keyboard.press('a');
      await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: 'Transfer', exact: true }).click();
      const panel = page.getByRole('region', { name: 'Transfer' });
      await panel.getByRole('radio', { name: 'Blind' }).click();
      await panel.getByRole('button', { name: 'Transfer: Finance service' }).click();
      // Our line ends at once (the server hangs it up), the wrap-up form is for this call.
      await page.getByTestId('call-status').getByText('No call').waitFor({ timeout: 15_000 });
      await page.getByText('Transferred to Finance service').waitFor();
      await page.getByTestId('wrap-up-form').waitFor();

      const result = await callerDone;
      expect(result.successful).toBe(1);
      const row = await eventually(() => call(callId!), (c) => c?.ended_at != null, 20_000, 250);
      expect(row).toMatchObject({ outcome: 'transferred', hangup_side: 'caller' });
      expect(row!.agent_ids).toEqual([staff.anna, staff.tatiana]);
      expect(row!.transfers[0]).toMatchObject({ kind: 'blind', target: { kind: 'queue', queue: 'finance' }, byAgentId: staff.anna, result: 'completed' });

      const form = page.getByTestId('wrap-up-form');
      await form.getByLabel('Disposition').selectOption('transferred');
      await form.getByRole('button', { name: 'Save and get ready' }).click();
      await form.getByText('Saved to the call record.').waitFor();
      await page.getByTestId('agent-state').getByText('Ready').waitFor();
    } finally {
      desk.stop();
      await desk.done;
      await h.api('POST', `/api/agents/${staff.tatiana}/state`, tatiana, { state: 'not_ready', reason: 'break' });
    }
  }, 120_000);

  it('reconnects patiently: the SIP socket and the event socket both drop, the page says so and registers again; a call in progress survives the blip', async () => {
    // Idle: the server closes the event socket, the page's SIP socket breaks.
    for (const client of h.system.http.websocketServer.clients) client.terminate();
    await page.evaluate(() => window.__softphone?.dropSip());
    await page.getByTestId('phone-status').getByText(/reconnecting/i).waitFor({ timeout: 5000 });
    await page.getByTestId('server-status').getByText(/reconnecting/i).waitFor({ timeout: 5000 });
    await page.getByTestId('phone-status').getByText('Phone: registered').waitFor({ timeout: 20_000 });
    await page.getByTestId('server-status').getByText('Server: live').waitFor({ timeout: 20_000 });
    expect(await phoneStatus()).toContain('registered');

    // In a call: the signalling socket drops and comes back; the media keeps flowing and the call goes on.
    await annaReady();
    const callerDone = caller(talkingCaller(3));
    await page.getByTestId('call-status').getByText('Incoming call').waitFor({ timeout: 20_000 });
    const callId = await currentCallId();
    await page.getByRole('button', { name: /^Answer/ }).click();
    await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
    const before = await rtpFigures(page);
    await page.evaluate(() => window.__softphone?.dropSip());
    await page.getByTestId('phone-status').getByText(/reconnecting/i).waitFor({ timeout: 5000 });
    await page.getByText('The call in progress continues while the media flows.', { exact: false }).waitFor();
    await page.getByTestId('phone-status').getByText('Phone: registered').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('call-status').textContent()).resolves.toContain('In call');
    // Media after the blip, asserted at the end so that the call's end is checked too.
    const after = await eventually(() => rtpFigures(page), (f) => f.received > before.received + 50 && f.sent > before.sent + 50, 15_000, 250);

    // The caller hangs up; the page ends the call too (by the BYE, or by the server's call.ended if the BYE went to the old socket).
    const result = await callerDone;
    expect(result.successful).toBe(1);
    await page.getByTestId('wrap-up-form').waitFor({ timeout: 15_000 });
    await page.getByTestId('call-status').getByText('No call').waitFor({ timeout: 10_000 });
    const row = await eventually(() => call(callId!), (c) => c?.ended_at != null, 20_000, 250);
    expect(row).toMatchObject({ outcome: 'answered', agent_id: staff.anna });
    expect(row!.talk_ms).toBeGreaterThan(10_000);
    await page.getByRole('button', { name: 'End wrap-up' }).click();
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
    expect(after.received).toBeGreaterThan(before.received + 50);
    expect(after.sent).toBeGreaterThan(before.sent + 50);
  }, 120_000);
});
