import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { freeTcpPort } from '../../src/platform/managed-process';
import { openPage, type WatchedPage } from '../helpers/browser';
import { baresipPresent, startBaresipPhone, type BaresipPhone } from '../helpers/baresip-phone';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { freeMediaPort, runSipp, type SippResult } from '../helpers/sipp';
import { OFFICE_HOST, startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { testCa } from '../helpers/test-tls';
import { channelRms } from '../helpers/wav-level';
import { sessionCallerScenario, type SessionCallerStep } from './call-session-kit';
import { afterSoftphoneTests, agentReady, launchSoftphoneBrowser, phoneCall, prepareSoftphoneContext, rtpFigures, talkingCaller } from './softphone-kit';

/** A market client in the demo directory (Sadovod market, stall 14). */
const MARKET_CLIENT = '+74951000001';

/**
 * A real office (issue 12): an operator's PC opens the softphone by the
 * office's host name over HTTPS — the only way a browser gives a page the
 * microphone — registers over secure WebSocket and takes a hotline call; a
 * desk phone registers over SIP over TLS and takes one too. The office name is
 * mapped to 127.0.0.1 inside Chromium only (--host-resolver-rules), so no
 * traffic leaves loopback; Chromium trusts the run's CA through its NSS store.
 */
describeWithDrachtio('an office: softphone by host name over HTTPS and WSS, desk phone over TLS (drachtio-server, rtpengine, sipp, Chromium, Redis, Postgres)', () => {
  let h: SystemHarness;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  const staff: Record<string, number> = {};
  const tokens: Record<string, string> = {};
  let officeUrl: string;
  const webSockets: string[] = [];

  const call = (callId: string) => h.db.query('SELECT * FROM calls WHERE id = $1', [callId]).then((r) => r.rows[0] as Record<string, any> | undefined);
  const caller = async (steps: SessionCallerStep[]): Promise<SippResult> => runSipp({
    scenario: sessionCallerScenario({ from: MARKET_CLIENT, steps }),
    target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 90,
  });
  const setState = (who: string, state: 'ready' | 'not_ready') =>
    h.api('POST', `/api/agents/${staff[who]}/state`, tokens[who]!, state === 'ready' ? { state } : { state, reason: 'break' });

  beforeAll(async () => {
    h = await startSystemHarness();
    const { rows } = await h.db.query<{ username: string; staff_id: number }>('SELECT username, staff_id FROM users WHERE staff_id IS NOT NULL');
    for (const row of rows) staff[row.username] = row.staff_id;
    for (const who of ['anna', 'ion', 'olga']) tokens[who] = await h.login(who, 'demo-pass-1');
    await setState('ion', 'not_ready');
    await setState('olga', 'not_ready');
    officeUrl = h.baseUrl.replace('127.0.0.1', OFFICE_HOST);
    browser = await launchSoftphoneBrowser([`--host-resolver-rules=MAP ${OFFICE_HOST} 127.0.0.1`]);
    watched = await openPage(browser);
    page = watched.page;
    page.on('websocket', (socket) => webSockets.push(socket.url()));
    await prepareSoftphoneContext(watched.context);
  }, 180_000);

  afterSoftphoneTests(() => ({ h, browser, watched }));

  it('the softphone typed as http://<office host>:<port>/softphone/ lands on HTTPS: a secure context with a microphone', async () => {
    expect(officeUrl).toMatch(new RegExp(`^https://${OFFICE_HOST.replace(/\./g, '\\.')}:\\d+$`));
    const plainUrl = `${officeUrl.replace('https://', 'http://')}/softphone/`;
    const response = await page.goto(plainUrl);
    expect(page.url()).toBe(`${officeUrl}/softphone/`);
    expect(response?.status()).toBe(200);
    // The redirect itself, as the browser saw it.
    expect(response?.request().redirectedFrom()?.url()).toBe(plainUrl);
    const context = await page.evaluate(async () => ({
      secure: window.isSecureContext,
      microphones: navigator.mediaDevices ? (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput').length : -1,
    }));
    expect(context.secure).toBe(true);
    expect(context.microphones).toBeGreaterThan(0);
  });

  it('signs in and registers over secure WebSocket at the office name', async () => {
    const configResponse = page.waitForResponse((r) => r.url().endsWith('/api/softphone/config'));
    await page.getByLabel(/username/i).fill('anna');
    await page.getByLabel(/^password/i).fill('demo-pass-1');
    await page.getByRole('button', { name: /sign in/i }).click();
    const config = (await (await configResponse).json()) as { sip: { wsServer: string } };
    expect(config.sip.wsServer).toBe(`wss://${OFFICE_HOST}:${h.sipWssPort}`);
    await page.getByTestId('phone-status').getByText('Phone: registered').waitFor({ timeout: 20_000 });
    await page.getByTestId('server-status').getByText('Server: live').waitFor();
    // The SIP socket and the event socket both went over TLS, by the office name.
    expect(webSockets.some((url) => url.startsWith(`wss://${OFFICE_HOST}:${h.sipWssPort}`))).toBe(true);
    expect(webSockets.some((url) => url.startsWith(`wss://${OFFICE_HOST}:${new URL(h.baseUrl).port}/`))).toBe(true);
    expect(webSockets.filter((url) => url.startsWith('ws:'))).toEqual([]);
    await page.getByRole('button', { name: /^Ready/ }).click();
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
    await watched.screenshot('office-softphone-registered');
  }, 60_000);

  it('takes a hotline call from sipp through the IVR and the ACD, with audio both ways', async () => {
    await agentReady(h, page, staff.anna!, tokens.anna!);
    const callerDone = caller(talkingCaller(2));
    await page.getByTestId('call-status').getByText('Incoming call').waitFor({ timeout: 20_000 });
    await page.getByTestId('client-name').getByText('Sadovod market, stall 14').waitFor();
    const callId = (await phoneCall(page)).callId;
    await page.getByRole('button', { name: /^Answer/ }).click();
    await page.getByTestId('call-status').getByText('In call').waitFor({ timeout: 10_000 });
    const flowing = await eventually(() => rtpFigures(page), (f) => f.received > 50 && f.sent > 50, 15_000, 250);
    await watched.screenshot('office-softphone-in-call');
    const result = await callerDone;
    expect(result.errors).toBe('');
    expect(result.successful).toBe(1);
    const row = await eventually(() => call(callId!), (c) => c?.ended_at != null, 20_000, 250);
    expect(row).toMatchObject({ outcome: 'answered', agent_id: staff.anna, hangup_side: 'caller' });
    expect(flowing.received).toBeGreaterThan(50);
    expect(flowing.sent).toBeGreaterThan(50);
    await page.getByRole('button', { name: 'End wrap-up' }).click();
    await setState('anna', 'not_ready');
  }, 120_000);

  const itWithBaresip = baresipPresent() ? it : (name: string, fn: () => Promise<void>, timeout?: number) => it.skip(`${name} [needs baresip: skipped, apt-get install baresip-core]`, fn, timeout);
  itWithBaresip('a desk phone registered over SIP over TLS (baresip) takes a hotline call: audio both ways, recorded', async () => {
    let phone: BaresipPhone | null = null;
    try {
      phone = await startBaresipPhone({
        user: 'ion', password: 'demo-pass-1', realm: 'switchboard.local', registrar: { host: '127.0.0.1', tlsPort: h.sipTlsPort }, caFile: (await testCa()).certFile,
      });
      // Registered with digest credentials over TLS (baresip prints the transport of the binding it got).
      await phone.registered;
      await setState('ion', 'ready');
      const callerDone = caller(talkingCaller(2));
      await phone.waitFor(/Call established/, 30_000);
      // The INVITE reached it over TLS, at the contact it registered.
      expect(phone.log()).toMatch(/INVITE sip:ion[^\s]*;transport=tls SIP\/2\.0\r?\nVia: SIP\/2\.0\/TLS /);
      const result = await callerDone;
      expect(result.errors).toBe('');
      expect(result.successful).toBe(1);
      await phone.waitFor(/terminated \(duration/, 15_000);
      const row = await eventually(async () => (await h.db.query('SELECT * FROM calls WHERE agent_id = $1 ORDER BY started_at DESC LIMIT 1', [staff.ion])).rows[0] as Record<string, any> | undefined,
        (c) => c?.ended_at != null && c?.recording_id != null, 30_000, 250);
      expect(row).toMatchObject({ outcome: 'answered', agent_id: staff.ion, hangup_side: 'caller', caller_e164: MARKET_CLIENT });
      // What the phone heard: the caller's voice through rtpengine, over the call set up on TLS.
      const heard = phone.heardFiles();
      expect(heard).toHaveLength(1);
      expect(channelRms(readFileSync(heard[0]!))).toBeGreaterThan(50);
      // What the caller heard of the phone: the recording's agent channel carries its tone, the caller channel the caller.
      const recording = (await h.db.query('SELECT file_path FROM recordings WHERE id = $1', [row!.recording_id])).rows[0] as { file_path: string };
      const wav = readFileSync(recording.file_path);
      expect({ caller: channelRms(wav, 0) > 50, agent: channelRms(wav, 1) > 50 }).toEqual({ caller: true, agent: true });
      await h.api('POST', `/api/agents/${staff.ion}/wrap-up/end`, tokens.ion!);
    } finally {
      await phone?.stop();
    }
  }, 120_000);
});
