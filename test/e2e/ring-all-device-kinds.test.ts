import type { Browser, Page } from 'playwright-core';
import { freeTcpPort } from '../../src/platform/managed-process';
import { openPage, signIn, type WatchedPage } from '../helpers/browser';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { agentScenario, freeMediaPort, registerPhone, runSipp, sippListening, startSippPhone } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { sessionCallerScenario, sippErrors } from './call-session-kit';
import { afterSoftphoneTests, agentReady, launchSoftphoneBrowser, phoneCall, prepareSoftphoneContext, rtpFigures, talkingCaller } from './softphone-kit';

/** A market client in the demo directory (Anna is their manager). */
const MARKET_CLIENT = '+74951000001';

// Issue 17 point 6, "ring all an agent's devices in parallel", across kinds: a browser softphone needs a WebRTC offer
// (DTLS-SRTP, ICE) and a desk phone a plain RTP one, so each kind gets its own rtpengine offer and both ring at once.
describeWithDrachtio('ring all of an agent’s devices across kinds: the browser softphone and the desk phone ring together (drachtio-server, rtpengine, sipp, Chromium, Redis, Postgres)', () => {
  let h: SystemHarness | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage | undefined;
  let page: Page;
  let annaToken: string;
  let annaId: number;
  let deskPort: number;

  beforeAll(async () => {
    h = await startSystemHarness();
    const staff = async (login: string): Promise<number> => (await h!.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login])).rows[0]!.staff_id;
    for (const other of ['ion', 'olga']) {
      await h.api('POST', `/api/agents/${await staff(other)}/state`, await h.login(other, 'demo-pass-1'), { state: 'not_ready', reason: 'break' });
    }
    annaToken = await h.login('anna', 'demo-pass-1');
    annaId = await staff('anna');
    // Anna's desk phone registers from the port its sipp then listens on (registration is pinned to the source port).
    deskPort = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: deskPort, user: 'anna', password: 'demo-pass-1' })).toBe(0);
    browser = await launchSoftphoneBrowser();
    watched = await openPage(browser);
    page = watched.page;
    await prepareSoftphoneContext(watched.context);
    await signIn(page, h.baseUrl, 'softphone', 'anna', 'demo-pass-1');
    await page.getByTestId('phone-status').getByText('Phone: registered').waitFor({ timeout: 20_000 });
  }, 180_000);

  afterSoftphoneTests(() => ({ h, browser, watched }));

  it('a queue call rings Anna’s browser and her desk phone at once; she answers in the browser, the desk phone gets CANCEL, and the browser talks with the caller', async () => {
    const system = h!;
    await agentReady(system, page, annaId, annaToken);
    // The desk phone rings and must then be CANCELled (INVITE, 180, CANCEL, 200, 487, ACK): an answer or a BYE fails it.
    const desk = startSippPhone({ scenario: agentScenario('ring'), port: deskPort, mediaPort: await freeMediaPort(), timeoutSeconds: 60 });
    await sippListening('127.0.0.1', deskPort);
    try {
      const callerDone = runSipp({
        scenario: sessionCallerScenario({ from: MARKET_CLIENT, steps: talkingCaller(2) }),
        target: system.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
      });
      await page.getByTestId('call-status').getByText('Incoming call').waitFor({ timeout: 20_000 });
      const callId = (await phoneCall(page)).callId!;
      await page.getByRole('button', { name: /^Answer/ }).click();
      await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
      // Audio both ways in the browser: its leg, not the desk phone's, is the one bridged to the caller.
      await eventually(() => rtpFigures(page), (f) => f.received > 50 && f.sent > 50, 15_000, 250);
      expect(await desk.done).toBe(0);
      await watched!.screenshot('softphone-ring-all-kinds-answered');
      const caller = await callerDone;
      expect(sippErrors(caller.errors)).toBe('');
      expect(caller.successful).toBe(1);

      const row = await eventually(async () => (await system.db.query('SELECT * FROM calls WHERE id = $1', [callId])).rows[0], (c) => c?.ended_at != null);
      expect(row).toMatchObject({ outcome: 'answered', agent_id: annaId, hangup_side: 'caller', queue_name: 'operators' });
      const events = (await system.db.query<{ type: string }>('SELECT type FROM call_events WHERE call_id = $1 ORDER BY seq', [callId])).rows.map((e) => e.type);
      // Both devices rang under one offer to Anna: one 'offered', nothing missed.
      expect(events.filter((t) => t === 'offered')).toHaveLength(1);
      expect(events).not.toContain('offer_missed');
    } finally {
      desk.stop();
    }
    const form = page.getByTestId('wrap-up-form');
    await form.waitFor({ timeout: 15_000 });
    await system.api('POST', `/api/agents/${annaId}/wrap-up/end`, annaToken);
  }, 120_000);
});
