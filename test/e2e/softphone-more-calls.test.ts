import type { Browser, Locator, Page } from 'playwright-core';
import { freeTcpPort } from '../../src/platform/managed-process';
import { openPage, signIn, type WatchedPage } from '../helpers/browser';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { agentScenario, freeMediaPort, registerPhone, runSipp, type SippResult } from '../helpers/sipp';
import { answerInvite, awaitBye, pause, receiveRequest, respond, scenario } from '../helpers/sipp-scenario';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import {
  RtpengineProbe, answeringPhoneScenario, decliningPhoneScenario, sample, sessionCallerScenario, sippErrors, startPhone, talkingPhoneScenario, type SessionCallerStep,
} from './call-session-kit';
import { afterSoftphoneTests, agentReady, launchSoftphoneBrowser, phoneCall, prepareSoftphoneContext, rtpFigures, saveWrapUp, sdpLog, talkingCaller, type RtpFigures } from './softphone-kit';

/** A market client in the demo directory (Sadovod market, stall 14, manager Anna). */
const MARKET_CLIENT = '+74951000001';
const MARKET_CLIENT_NAME = 'Sadovod market, stall 14';
/** The outbound trunk answers on its own loopback address (staff phones are on 127.0.0.1). */
const TRUNK_IP = '127.0.0.5';

type Counters = Record<string, number> | null;

/**
 * The client's phone behind the trunk that rings before it answers: 180
 * Ringing at once, 200 OK (PCMA) after `ringMs`, then waits for the BYE.
 */
function ringingTrunkScenario(ringMs: number): string {
  return scenario(`${receiveRequest('INVITE')}
${respond('180 Ringing', { contact: true })}
${pause(ringMs)}
${answerInvite()}
${awaitBye(90000)}`);
}

/** The page's phone as the debug handle gives it: the call that just ended, and the call state machine's history. */
interface PhoneInternals {
  snapshot(): { last: { callId: string | null; far: string | null; connectedAt: number | null } | null };
  phone: { transitions: { call: ReadonlyArray<{ from: string; to: string; why: string; at: number }> } };
}

/** A desktop notification the page made (recorded by an init script). */
interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  requireInteraction: boolean;
  closed: boolean;
  instance: Notification;
}
/** RTP packets rtpengine received from the legs whose tag matches. */
const packets = (value: Counters, match: RegExp): number => Object.entries(value ?? {}).filter(([tag]) => match.test(tag)).reduce((n, [, p]) => n + p, 0);
/** The last sample taken at or before `at`. */
const at = (samples: Array<{ at: number; value: Counters }>, time: number): Counters => samples.filter((s) => s.at <= time && s.value !== null).pop()?.value ?? null;
const rise = (from: RtpFigures, to: RtpFigures): RtpFigures => ({ received: to.received - from.received, sent: to.sent - from.sent });

// The operator's browser softphone (sip.js over WebSocket to drachtio-server, WebRTC through rtpengine) on the calls
// softphone-calls.test.ts does not cover: warm transfer from the Transfer panel, click-to-call through a trunk,
// and what a user sees of an incoming call in a background tab (desktop notification, ringtone device, auto-answer).
describeWithDrachtio('softphone in Chromium: warm transfer, click-to-call, notification, ringtone device, auto-answer (drachtio-server, rtpengine, sipp, Redis, Postgres)', () => {
  let h: SystemHarness;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  let rtpengine: RtpengineProbe;
  let trunkPort: number;
  let tatianaPhone: number;
  const tokens: Record<string, string> = {};
  const staff: Record<string, number> = {};

  const call = (callId: string) => h.db.query('SELECT * FROM calls WHERE id = $1', [callId]).then((r) => r.rows[0] as Record<string, any> | undefined);
  const eventsOf = async (callId: string) => (await h.db.query('SELECT type, data FROM call_events WHERE call_id = $1 ORDER BY seq', [callId])).rows as Array<{ type: string; data: any }>;
  const agentState = async (login: string): Promise<string> => (await h.api('GET', `/api/agents/${staff[login]}`, tokens[login]!)).body.state as string;
  const annaReady = (): Promise<void> => agentReady(h, page, staff.anna!, tokens.anna!);
  const currentCallId = async (): Promise<string | null> => (await phoneCall(page)).callId;
  /** A hotline caller (PCMA, RFC 2833) from the market client; `echo` sends back every packet it hears, so that rtpengine counts on its leg what reached it. */
  const caller = async (steps: SessionCallerStep[], echo = false): Promise<SippResult> => runSipp({
    scenario: sessionCallerScenario({ from: MARKET_CLIENT, steps }),
    target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 100, ...(echo ? { extraArgs: ['-rtp_echo'] } : {}),
  });
  const setState = async (login: string, state: 'ready' | 'not_ready'): Promise<void> => {
    if ((await agentState(login)) === 'wrap_up') await h.api('POST', `/api/agents/${staff[login]}/wrap-up/end`, tokens[login]!);
    if ((await agentState(login)) !== state) await h.api('POST', `/api/agents/${staff[login]}/state`, tokens[login]!, { state, ...(state === 'not_ready' ? { reason: 'break' } : {}) });
  };
  /** Fails with the SDPs the page saw, when a step that needs media did not happen. */
  const withSdps = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}\n--- SDPs in the page ---\n${(await sdpLog(page).catch(() => [])).join('\n---\n')}`);
    }
  };
  /** Answers the ringing call from the page and waits for audio both ways; the call's id and the browser's figures then. */
  const answerWithAudio = async (): Promise<{ callId: string; talking: RtpFigures }> => {
    await page.getByTestId('call-status').getByText('Incoming call').waitFor({ timeout: 20_000 });
    const callId = (await currentCallId())!;
    await page.getByRole('button', { name: /^Answer/ }).click();
    await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
    const talking = await withSdps('audio with the caller', () => eventually(() => rtpFigures(page), (f) => f.received > 50 && f.sent > 50, 15_000, 250));
    return { callId, talking };
  };
  /** Opens the Transfer panel and consults Tatiana (warm); the panel, to follow the consult on. */
  const consultTatiana = async (): Promise<Locator> => {
    await page.getByRole('button', { name: 'Transfer', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Transfer' });
    await panel.getByRole('radio', { name: 'Consult first' }).click();
    await panel.getByRole('button', { name: 'Consult: Tatiana Volkova' }).click();
    return panel;
  };
  /**
   * The caller of a consult Anna cancelled hangs up: the line is free, and the row keeps Anna alone, answered, with a
   * cancelled warm transfer to Tatiana. The call's event types, for what each test checks besides.
   */
  const afterCancelledConsult = async (callerDone: Promise<SippResult>, callId: string): Promise<string[]> => {
    const result = await callerDone;
    expect(sippErrors(result.errors)).toBe('');
    expect(result.successful).toBe(1);
    await page.getByTestId('call-status').getByText('No call').waitFor({ timeout: 15_000 });
    const row = await eventually(() => call(callId), (c) => c?.ended_at != null, 20_000, 250);
    expect(row).toMatchObject({ outcome: 'answered', agent_id: staff.anna, hangup_side: 'caller' });
    expect(row!.agent_ids).toEqual([staff.anna]);
    expect(row!.transfers[0]).toMatchObject({ kind: 'warm', target: { kind: 'person', staffId: staff.tatiana }, result: 'cancelled' });
    return (await eventsOf(callId)).map((e) => e.type);
  };
  const endWrapUp = async (): Promise<void> => {
    const form = page.getByTestId('wrap-up-form');
    await form.waitFor({ timeout: 15_000 });
    await form.getByLabel('Disposition').selectOption('transferred');
    await form.getByRole('button', { name: 'Save and get ready' }).click();
    await form.getByText('Saved to the call record.').waitFor();
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
  };

  beforeAll(async () => {
    trunkPort = await freeTcpPort();
    // Outbound calls leave through the first trunk (a sipp on its own address); hotline callers come from 127.0.0.1.
    h = await startSystemHarness({ env: { SIP_TRUNKS: `${TRUNK_IP}:${trunkPort},127.0.0.1/32` } });
    rtpengine = new RtpengineProbe(h);
    const { rows } = await h.db.query<{ username: string; staff_id: number }>('SELECT username, staff_id FROM users WHERE staff_id IS NOT NULL');
    for (const row of rows) staff[row.username] = row.staff_id;
    for (const login of ['anna', 'ion', 'olga', 'tatiana']) tokens[login] = await h.login(login, 'demo-pass-1');
    // Only Anna takes operator calls here; Tatiana (finance) is consulted on her desk phone.
    for (const other of ['ion', 'olga', 'tatiana']) await setState(other, 'not_ready');
    tatianaPhone = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: tatianaPhone, user: 'tatiana', password: 'demo-pass-1' })).toBe(0);
    browser = await launchSoftphoneBrowser();
    watched = await openPage(browser);
    page = watched.page;
    await prepareSoftphoneContext(watched.context);
    // Every desktop notification the page shows, kept with whether it was closed (the real one is still made).
    await watched.context.addInitScript(() => {
      const Real = window.Notification;
      const shown: ShownNotification[] = [];
      (window as unknown as { __notifications: ShownNotification[] }).__notifications = shown;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          const entry: ShownNotification = { title, body: options?.body ?? '', tag: options?.tag ?? '', requireInteraction: options?.requireInteraction ?? false, closed: false, instance: this };
          shown.push(entry);
          const close = this.close.bind(this);
          this.close = () => {
            entry.closed = true;
            close();
          };
        }
      }
      Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
      Object.defineProperty(Recorded, 'requestPermission', { value: (...args: Parameters<typeof Real.requestPermission>) => Real.requestPermission(...args) });
      window.Notification = Recorded;
    });
    await signIn(page, h.baseUrl, 'softphone', 'anna', 'demo-pass-1');
    await page.getByTestId('phone-status').getByText('Phone: registered').waitFor({ timeout: 20_000 });
  }, 180_000);

  afterSoftphoneTests(() => ({ h, browser, watched }), () => rtpengine?.close());

  it('warm transfer from the Transfer panel: while Anna consults Tatiana the caller hears music and the browser talks with Tatiana; completed, the browser line ends and the caller talks with Tatiana', async () => {
    await annaReady();
    // Tatiana talks (three blocks of audio) and hangs up at the end; the caller echoes what it hears.
    const desk = startPhone({ scenario: talkingPhoneScenario({ audioBlocks: 3, blockMs: 7200 }), port: tatianaPhone, mediaPort: await freeMediaPort() });
    const callerDone = caller([{ pauseMs: 2500 }, { key: '1' }, { awaitBye: true, timeoutMs: 90_000 }], true);
    const counters = sample(() => rtpengine.packetsByTag(), 200);
    try {
      // The browser's audio reaches the caller and comes back (the caller's echo).
      const { callId, talking } = await answerWithAudio();

      const panel = await consultTatiana();
      await panel.getByRole('heading', { name: 'Consulting Tatiana Volkova' }).waitFor();
      const consultStartedAt = Date.now();
      // Tatiana answers: the server re-INVITEs the browser to pair it with her.
      await withSdps('consult answered', () => panel.getByText('You are talking to the target; the caller waits with music.').waitFor({ timeout: 20_000 }));
      await expect(panel.getByRole('button', { name: 'Complete transfer' }).isEnabled()).resolves.toBe(true);
      expect((await h.api('GET', `/api/calls/${callId}/consult`, tokens.anna!)).body.consult.state).toBe('talking');
      await watched.screenshot('softphone-consulting');
      // The browser hears Tatiana and sends to her (her audio is a 7 s block: the browser gets well over 50 packets of it).
      const consultFrom = await rtpFigures(page);
      const consulting = await withSdps('audio with Tatiana', () => eventually(async () => rise(consultFrom, await rtpFigures(page)), (f) => f.received > 100 && f.sent > 100, 15_000, 250));
      expect(consulting.received).toBeGreaterThan(100);
      const completedAt = Date.now();
      await expect(page.getByTestId('call-status').textContent()).resolves.toContain('In call');

      await panel.getByRole('button', { name: 'Complete transfer' }).click();
      // The server hangs up our line; the wrap-up form is for this call.
      await page.getByTestId('call-status').getByText('No call').waitFor({ timeout: 15_000 });
      await page.getByText('Transferred to Tatiana Volkova').waitFor();
      expect(await agentState('anna')).toBe('wrap_up');

      // Tatiana talks on with the caller, then hangs up: the caller gets her BYE.
      const result = await callerDone;
      await counters.stop();
      expect(sippErrors(result.errors)).toBe('');
      expect(result.successful).toBe(1);
      expect(await desk.done).toBe(0);
      const row = await eventually(() => call(callId), (c) => c?.ended_at != null, 20_000, 250);
      expect(row).toMatchObject({ outcome: 'transferred', agent_id: staff.anna });
      expect(row!.agent_ids).toEqual([staff.anna, staff.tatiana]);
      expect(row!.transfers).toHaveLength(1);
      expect(row!.transfers[0]).toMatchObject({ kind: 'warm', target: { kind: 'person', staffId: staff.tatiana }, byAgentId: staff.anna, result: 'completed' });

      // What reached the caller (its echo, counted on its leg): music while Anna consulted; Tatiana's voice after the transfer.
      const end = row!.ended_at.getTime() as number;
      const callerLeg = /SIPpTag00/;
      const figures = {
        talking, consulting,
        callerDuringConsult: packets(at(counters.samples, completedAt), callerLeg) - packets(at(counters.samples, consultStartedAt + 1000), callerLeg),
        callerAfterTransfer: packets(at(counters.samples, end), callerLeg) - packets(at(counters.samples, completedAt + 1000), callerLeg),
        tatianaAfterTransfer: packets(at(counters.samples, end), /^consult-/) - packets(at(counters.samples, completedAt + 1000), /^consult-/),
      };
      console.info('warm transfer, completed: packets', JSON.stringify(figures));
      expect(figures.callerDuringConsult).toBeGreaterThan(100);
      expect(figures.callerAfterTransfer).toBeGreaterThan(150);
      expect(figures.tatianaAfterTransfer).toBeGreaterThan(150);
      expect(talking.received).toBeGreaterThan(50);
      await endWrapUp();
    } finally {
      await counters.stop();
      desk.stop();
    }
  }, 150_000);

  it('warm transfer cancelled: Anna consults Tatiana (they hear each other), cancels, and talks with the caller again, audio both ways; the row keeps one agent and a cancelled warm transfer', async () => {
    await annaReady();
    // Both talk: Tatiana says something when she answers, the caller speaks in five blocks, then hangs up.
    const desk = startPhone({ scenario: talkingPhoneScenario({ awaitBye: true }), port: tatianaPhone, mediaPort: await freeMediaPort() });
    const callerDone = caller(talkingCaller(5));
    try {
      const { callId, talking } = await answerWithAudio();
      expect(talking.received).toBeGreaterThan(50);

      const panel = await consultTatiana();
      await withSdps('consult answered', () => panel.getByText('You are talking to the target; the caller waits with music.').waitFor({ timeout: 20_000 }));
      // Hold is not offered while consulting (the caller is already on hold).
      await expect(page.getByRole('button', { name: /^Hold/ }).isDisabled()).resolves.toBe(true);
      const consultFrom = await rtpFigures(page);
      const consulting = await withSdps('audio with Tatiana', () => eventually(async () => rise(consultFrom, await rtpFigures(page)), (f) => f.received > 100 && f.sent > 100, 15_000, 250));

      await panel.getByRole('button', { name: 'Cancel, back to the caller' }).click();
      // Tatiana's line is hung up; the panel is back to the target lists, the browser is still on the call.
      expect(await desk.done).toBe(0);
      await panel.getByRole('radiogroup', { name: 'Transfer mode' }).waitFor();
      await expect(page.getByTestId('call-status').textContent()).resolves.toContain('In call');
      expect((await h.api('GET', `/api/calls/${callId}/consult`, tokens.anna!)).status).toBe(404);
      expect(await agentState('anna')).toBe('on_call');
      // Caller and browser hear each other again.
      const backFrom = await rtpFigures(page);
      const back = await withSdps('audio with the caller after the cancel', () => eventually(async () => rise(backFrom, await rtpFigures(page)), (f) => f.received > 100 && f.sent > 100, 15_000, 250));
      console.info('warm transfer, cancelled: browser packets', JSON.stringify({ talking, consulting, back }));

      // The caller hangs up: the wrap-up form is for this call.
      const types = await afterCancelledConsult(callerDone, callId);
      expect(types).toEqual(expect.arrayContaining(['transfer_started', 'transfer_cancelled']));
      expect(types).not.toContain('transfer');
      expect(consulting.received).toBeGreaterThan(100);
      expect(back.received).toBeGreaterThan(100);
      expect(back.sent).toBeGreaterThan(100);
      await endWrapUp();
    } finally {
      desk.stop();
    }
  }, 150_000);

  it('warm transfer declined: Tatiana declines on her desk phone (603); the consult panel says it failed, Complete stays disabled, and Cancel brings Anna back to the caller with audio both ways', async () => {
    await annaReady();
    const desk = startPhone({ scenario: decliningPhoneScenario(), port: tatianaPhone, mediaPort: await freeMediaPort() });
    const callerDone = caller(talkingCaller(5));
    try {
      const { callId, talking } = await answerWithAudio();

      const panel = await consultTatiana();
      // Her phone answers 603: the panel (following the server's consult state) says so.
      await panel.getByText('The target did not answer, declined or hung up. The caller still waits with music: cancel to go back to them.').waitFor({ timeout: 20_000 });
      expect(await desk.done).toBe(0);
      expect((await h.api('GET', `/api/calls/${callId}/consult`, tokens.anna!)).body.consult.state).toBe('failed');
      await expect(panel.getByRole('button', { name: 'Complete transfer' }).isDisabled()).resolves.toBe(true);
      await expect(panel.getByRole('button', { name: 'Cancel, back to the caller' }).isEnabled()).resolves.toBe(true);
      await watched.screenshot('softphone-consult-declined');
      // A few polls later it still cannot be completed: the failure is not a passing state.
      await page.waitForTimeout(1500);
      await expect(panel.getByRole('button', { name: 'Complete transfer' }).isDisabled()).resolves.toBe(true);

      await panel.getByRole('button', { name: 'Cancel, back to the caller' }).click();
      await panel.getByRole('radiogroup', { name: 'Transfer mode' }).waitFor();
      await expect(page.getByTestId('call-status').textContent()).resolves.toContain('In call');
      expect((await h.api('GET', `/api/calls/${callId}/consult`, tokens.anna!)).status).toBe(404);
      expect(await agentState('anna')).toBe('on_call');
      // Caller and browser hear each other again (the browser's own RTP counters).
      const backFrom = await rtpFigures(page);
      const back = await withSdps('audio with the caller after the declined consult', () => eventually(async () => rise(backFrom, await rtpFigures(page)), (f) => f.received > 100 && f.sent > 100, 15_000, 250));
      console.info('warm transfer, declined: browser packets', JSON.stringify({ talking, back }));
      expect(back.received).toBeGreaterThan(100);
      expect(back.sent).toBeGreaterThan(100);

      const types = await afterCancelledConsult(callerDone, callId);
      expect(types).toEqual(expect.arrayContaining(['transfer_started', 'consult_failed', 'transfer_cancelled']));
      expect(types).not.toContain('transfer');
      await endWrapUp();
    } finally {
      desk.stop();
    }
  }, 150_000);

  it('click-to-call from the dial pad: the server rings the browser first (INVITE without SDP), it answers by itself, the client is dialled through the trunk; audio both ways; the call row is outbound', async () => {
    await annaReady();
    // The trunk answers and echoes what it hears, until the BYE.
    const trunk = startPhone({ scenario: answeringPhoneScenario({ reinvites: 0 }), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort(), rtpEcho: true });
    try {
      const pad = page.getByRole('form', { name: 'Dial pad' });
      await pad.getByLabel('Number to call').fill('8 (495) 100-00-01');
      await pad.getByRole('button', { name: 'Call', exact: true }).click();
      await withSdps('outbound call connected', () => page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 20_000 }));
      const onPhone = await phoneCall(page);
      expect(onPhone.direction).toBe('outbound');
      const callId = onPhone.callId!;
      expect(callId).toMatch(/^[0-9a-f-]{36}$/);
      // The card of the client being called is on screen.
      await page.getByTestId('client-name').getByText(MARKET_CLIENT_NAME).waitFor({ timeout: 10_000 });
      const flowing = await withSdps('outbound audio', () => eventually(() => rtpFigures(page), (f) => f.received > 100 && f.sent > 100, 15_000, 250));
      await watched.screenshot('softphone-outbound-call');
      // The server's SDP came in the ACK: the browser made the offer (late offer, RFC 3264 §4).
      const sdps = await sdpLog(page);
      expect(sdps.some((l) => l.startsWith('local offer'))).toBe(true);
      expect(sdps.some((l) => l.startsWith('remote answer'))).toBe(true);

      await page.getByRole('button', { name: /^Hang up/ }).first().click();
      expect(await trunk.done).toBe(0);
      await page.getByTestId('call-status').getByText('No call').waitFor({ timeout: 15_000 });
      const row = await eventually(() => call(callId), (c) => c?.ended_at != null, 20_000, 250);
      expect(row).toMatchObject({
        direction: 'outbound', caller_number: 'anna', dialed_number: MARKET_CLIENT, trunk: `${TRUNK_IP}:${trunkPort}`,
        agent_id: staff.anna, outcome: 'answered', hangup_side: 'agent',
      });
      const media = (await eventsOf(callId)).find((e) => e.type === 'note' && e.data.media)?.data.media;
      console.info('click-to-call: packets', JSON.stringify({ browser: flowing, rtpengine: media }));
      // Both legs through rtpengine: the browser's (its rtcp-mux stream, flagged RTP and RTCP, counts as RTP) and the trunk's.
      expect(media.callerPackets).toBeGreaterThan(100);
      expect(media.agentPackets).toBeGreaterThan(100);
      expect(flowing.received).toBeGreaterThan(100);
      expect(flowing.sent).toBeGreaterThan(100);
      // The wrap-up form is for this call.
      await saveWrapUp(page, 'order_taken');
    } finally {
      trunk.stop();
    }
  }, 120_000);

  /** A wrap-up form left on screen by an earlier test (saved, with its Close button) is closed. */
  const closeSavedWrapUp = async (): Promise<void> => {
    const form = page.getByTestId('wrap-up-form');
    if ((await form.count()) > 0 && (await form.getByText('Saved to the call record.').count()) > 0) await form.getByRole('button', { name: 'Close' }).click();
    await form.waitFor({ state: 'detached', timeout: 5000 });
  };
  /** The phone's call state machine history, oldest first. */
  const callSteps = (): Promise<Array<{ from: string; to: string; why: string; at: number }>> =>
    page.evaluate(() => (window as unknown as { __softphone: PhoneInternals }).__softphone.phone.transitions.call.map(({ from, to, why, at: when }) => ({ from, to, why, at: when })));
  /** The call that just ended, as the phone keeps it. */
  const lastCall = (): Promise<{ callId: string | null; far: string | null; connectedAt: number | null } | null> =>
    page.evaluate(() => {
      const last = (window as unknown as { __softphone: PhoneInternals }).__softphone.snapshot().last;
      return last ? { callId: last.callId, far: last.far, connectedAt: last.connectedAt } : null;
    });
  /** A call a failed test left on the phone is hung up, so that the next test starts idle. */
  const hangUpLeftover = async (): Promise<void> => {
    if ((await phoneCall(page)).state === 'idle') return;
    await page.getByRole('button', { name: /^Hang up/ }).first().click().catch(() => undefined);
  };
  const dialClient = async (): Promise<void> => {
    const pad = page.getByRole('form', { name: 'Dial pad' });
    await pad.getByLabel('Number to call').fill('8 (495) 100-00-01');
    await pad.getByRole('button', { name: 'Call', exact: true }).click();
  };

  it('click-to-call, the client\'s phone rings 3 s before answering: the softphone says "Calling <client>… ringing" with the client\'s name until the client answers, then "In call" with the talk timer from that moment; the wrap-up names the client', async () => {
    await annaReady();
    await closeSavedWrapUp();
    const trunk = startPhone({ scenario: ringingTrunkScenario(3000), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort(), rtpEcho: true });
    try {
      await dialClient();
      // The browser took its own call at once; the trunk said 180: the client's phone rings.
      const status = page.getByTestId('call-status');
      await status.getByText(`Calling ${MARKET_CLIENT_NAME}… ringing`).waitFor({ timeout: 20_000 });
      expect((await phoneCall(page)).state).toBe('calling_far');
      await expect(status.textContent()).resolves.not.toContain('In call');
      await expect(page.getByTestId('remote-number').textContent()).resolves.toBe(`${MARKET_CLIENT_NAME} · ${MARKET_CLIENT}`);
      // While it rings only hanging up is offered: no hold, no transfer.
      await expect(page.getByRole('button', { name: /^Hang up/ }).count()).resolves.toBe(1);
      await expect(page.getByRole('button', { name: /^Hold/ }).count()).resolves.toBe(0);
      // The client card says the call is not answered yet, and the operator hears ringback.
      await page.getByText('Calling — not answered yet').waitFor();
      await page.locator('audio[data-tone="ringback"]').waitFor({ state: 'attached' });
      await watched.screenshot('softphone-outbound-ringing');

      await withSdps('the client answered', () => status.getByText('In call').waitFor({ timeout: 15_000 }));
      // The ringback stops with the answer.
      await page.locator('audio[data-tone="ringback"]').waitFor({ state: 'detached', timeout: 2000 });
      // The talk timer starts when the client answers, not when the browser took its leg 3 s earlier.
      await expect(page.getByRole('timer', { name: 'Call duration' }).textContent()).resolves.toMatch(/^0:0[0-2]$/);
      const onPhone = await phoneCall(page);
      const callId = onPhone.callId!;
      const steps = await callSteps();
      const calling = steps.filter((c) => c.to === 'calling_far').pop()!;
      const answered = steps.filter((c) => c.from === 'calling_far' && c.to === 'connected').pop()!;
      expect(answered.why).toBe('the far end answered');
      // The page's own clock: the client's phone rang 3 s (sipp's pause between its 180 and 200).
      expect(answered.at - calling.at).toBeGreaterThanOrEqual(2500);
      await expect(page.getByTestId('remote-number').textContent()).resolves.toBe(`${MARKET_CLIENT_NAME} · ${MARKET_CLIENT}`);
      const flowing = await withSdps('outbound audio', () => eventually(() => rtpFigures(page), (f) => f.received > 50 && f.sent > 50, 15_000, 250));
      expect(flowing.received).toBeGreaterThan(50);

      await page.getByRole('button', { name: /^Hang up/ }).first().click();
      expect(await trunk.done).toBe(0);
      await status.getByText('No call').waitFor({ timeout: 15_000 });
      const row = await eventually(() => call(callId), (c) => c?.ended_at != null, 20_000, 250);
      expect(row).toMatchObject({ direction: 'outbound', dialed_number: MARKET_CLIENT, agent_id: staff.anna, outcome: 'answered', hangup_side: 'agent' });
      expect(row!.answered_at.getTime() - row!.started_at.getTime()).toBeGreaterThanOrEqual(2500);
      // The wrap-up form names the client, not the kind of call.
      const form = page.getByTestId('wrap-up-form');
      await form.waitFor({ timeout: 15_000 });
      await expect(form.textContent()).resolves.toContain(MARKET_CLIENT_NAME);
      await expect(form.textContent()).resolves.not.toContain('Outbound call');
      await form.getByLabel('Disposition').selectOption('order_taken');
      await form.getByRole('button', { name: /^Save/ }).first().click();
      await form.getByText('Saved to the call record.').waitFor();
      await closeSavedWrapUp();
    } finally {
      await hangUpLeftover();
      trunk.stop();
    }
  }, 120_000);

  it('click-to-call, the client is busy (486 from the trunk): the softphone says "Busy" with the client\'s name, no wrap-up is asked, the call row says failed and Anna is Ready again', async () => {
    await annaReady();
    await closeSavedWrapUp();
    const trunk = startPhone({ scenario: agentScenario('busy'), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort() });
    try {
      await dialClient();
      const notice = page.getByTestId('far-failed');
      await notice.waitFor({ timeout: 20_000 });
      await expect(notice.textContent()).resolves.toContain(`Busy — ${MARKET_CLIENT_NAME}`);
      expect(await trunk.done).toBe(0);
      await expect(page.getByTestId('call-status').textContent()).resolves.toBe('No call');
      const last = await lastCall();
      expect(last).toMatchObject({ far: 'busy', connectedAt: null });
      const callId = last!.callId!;
      const row = await eventually(() => call(callId), (c) => c?.ended_at != null, 20_000, 250);
      expect(row).toMatchObject({ direction: 'outbound', dialed_number: MARKET_CLIENT, outcome: 'failed', hangup_side: 'system' });
      expect(row!.answered_at).toBeNull();
      // Nothing was said to the client: nothing to wrap up.
      await expect(page.getByTestId('wrap-up-form').count()).resolves.toBe(0);
      await eventually(() => agentState('anna'), (s) => s === 'ready', 10_000, 250);
      await watched.screenshot('softphone-outbound-busy');
      // The notice stays until dismissed (or the next call).
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await notice.waitFor({ state: 'detached' });
    } finally {
      await hangUpLeftover();
      trunk.stop();
    }
  }, 90_000);

  /** What the page showed as desktop notifications, without the objects. */
  const notifications = (): Promise<Array<Omit<ShownNotification, 'instance'>>> => page.evaluate(() =>
    (window as unknown as { __notifications: ShownNotification[] }).__notifications.map(({ instance: _instance, ...rest }) => rest));
  /** The page's audio elements that are not the far end's (the ringtone's), with the device each plays on. */
  const ringtones = (): Promise<Array<{ sinkId: string; playing: boolean }>> => page.evaluate(() =>
    Array.from(document.querySelectorAll('audio')).filter((a) => !a.hasAttribute('aria-hidden')).map((a) => ({ sinkId: (a as HTMLAudioElement & { sinkId: string }).sinkId, playing: !a.paused })));
  const setBackground = (hidden: boolean): Promise<void> => page.evaluate((on) => {
    if (on) {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    } else {
      // The document's own properties shadow the real getters: removing them shows the real state again.
      delete (document as { hidden?: boolean }).hidden;
      delete (document as { visibilityState?: string }).visibilityState;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  const settings = async (change: (dialog: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    try {
      await change(dialog);
    } finally {
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
  };
  const wrapUpAndReady = async (): Promise<void> => {
    await page.getByTestId('wrap-up-form').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'End wrap-up' }).click();
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
  };

  it('a call ringing in a background tab shows a desktop notification and rings on the ringtone device chosen in Settings; the notification goes when the call is answered', async () => {
    await annaReady();
    const before = (await notifications()).length;
    // The fake devices Chromium lists; the ringtone goes to the second speaker.
    let ringer = '';
    await settings(async (dialog) => {
      const select = dialog.getByLabel('Ringtone output');
      // The list fills once the browser has enumerated its devices.
      await select.locator('option', { hasText: 'Fake Audio Output 2' }).waitFor({ state: 'attached' });
      await expect(select.locator('option').allTextContents()).resolves.toEqual(expect.arrayContaining(['Same as the headset', 'Fake Audio Output 1', 'Fake Audio Output 2']));
      await select.selectOption({ label: 'Fake Audio Output 2' });
      ringer = await select.inputValue();
      await watched.screenshot('softphone-settings');
    });
    expect(ringer).toMatch(/^[0-9a-f]{64}$/);
    const title = await page.title();
    await setBackground(true);
    const callerDone = caller(talkingCaller(1));
    try {
      await page.getByTestId('call-status').getByText('Incoming call').waitFor({ timeout: 20_000 });
      const shown = await eventually(notifications, (n) => n.length > before, 5000, 100);
      expect(shown.slice(before)).toEqual([expect.objectContaining({ title: 'Incoming call', requireInteraction: true, closed: false })]);
      expect(shown[before]!.body).toContain(MARKET_CLIENT);
      expect(await eventually(ringtones, (r) => r.some((t) => t.playing), 5000, 100)).toEqual([{ sinkId: ringer, playing: true }]);
      await expect(page.title()).resolves.toBe(`☎ Incoming call — ${MARKET_CLIENT}`);
      // Clicking the notification brings the tab forward and closes it.
      await page.evaluate(() => {
        const list = (window as unknown as { __notifications: ShownNotification[] }).__notifications;
        const last = list[list.length - 1]!.instance;
        last.onclick?.call(last, new Event('click'));
      });
      expect((await notifications())[before]!.closed).toBe(true);
      await page.getByRole('button', { name: /^Answer/ }).click();
      await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
      // The ringtone has stopped; the title is the page's again.
      expect(await eventually(ringtones, (r) => r.length === 0, 5000, 100)).toEqual([]);
      await expect(page.title()).resolves.toBe(title);
      const result = await callerDone;
      expect(result.successful).toBe(1);
      await wrapUpAndReady();
    } finally {
      await setBackground(false);
      await settings((dialog) => dialog.getByLabel('Ringtone output').selectOption({ label: 'Same as the headset' }).then(() => undefined));
    }
  }, 90_000);

  it('a call ringing in a background tab answered from the keyboard (A) closes the notification still on screen', async () => {
    await annaReady();
    await setBackground(true);
    const before = (await notifications()).length;
    const callerDone = caller(talkingCaller(1));
    try {
      await page.getByTestId('call-status').getByText('Incoming call').waitFor({ timeout: 20_000 });
      await eventually(notifications, (n) => n.length > before, 5000, 100);
      await page.keyboard.press('a');
      await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
      const shown = await eventually(notifications, (n) => n[before]?.closed === true, 5000, 100);
      expect(shown.slice(before)).toEqual([expect.objectContaining({ title: 'Incoming call', closed: true })]);
      expect((await callerDone).successful).toBe(1);
      await wrapUpAndReady();
    } finally {
      await setBackground(false);
    }
  }, 90_000);

  it('auto-answer (Settings): a call is answered by itself, audio flows both ways; a visible tab shows no desktop notification', async () => {
    await annaReady();
    await settings((dialog) => dialog.getByLabel('Answer calls automatically').check());
    const before = (await notifications()).length;
    const callerDone = caller(talkingCaller(2));
    try {
      await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 25_000 });
      const flowing = await eventually(() => rtpFigures(page), (f) => f.received > 100 && f.sent > 100, 15_000, 250);
      console.info('auto-answer: browser packets', JSON.stringify(flowing));
      expect(flowing.received).toBeGreaterThan(100);
      expect(flowing.sent).toBeGreaterThan(100);
      const callId = (await currentCallId())!;
      const result = await callerDone;
      expect(result.successful).toBe(1);
      await wrapUpAndReady();
      const row = await eventually(() => call(callId), (c) => c?.ended_at != null, 20_000, 250);
      expect(row).toMatchObject({ outcome: 'answered', agent_id: staff.anna, hangup_side: 'caller' });
      expect((await notifications()).length).toBe(before);
    } finally {
      await settings((dialog) => dialog.getByLabel('Answer calls automatically').uncheck());
    }
  }, 90_000);
});
