import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { launchChromium, openPage, signIn, type WatchedPage } from '../../helpers/browser';
import { eventually } from '../../helpers/eventually';
import { MonitorLegPlacerDouble } from '../../helpers/monitor-leg-placer-double';
import { releaseInOrder } from '../../helpers/release';
import { monitoringScene } from './monitoring-scene';

/**
 * The softphone's pieces for whisper and barge (issue 18) in Chromium against the real API (Postgres, ACD on
 * Redis): the supervisor's monitoring bar — the mode buttons the server allows, the switch through the API, the
 * mode the server answered, its refusals, who hears the supervisor — and the agent's coaching notice. The bar and
 * the call panel are the real components, bundled on their own and given the phone's side calls as props: no SIP
 * runs here (the telephony behind the API is the placer port's double); the side calls themselves are tested end
 * to end with drachtio-server and rtpengine.
 */

/** The page: the real MonitoringBar and CallPanel, with the side calls a test sets through window.__setSideCalls. */
const ENTRY = `
import { h, render } from 'preact';
import { useState } from 'preact/hooks';
import { MonitoringBar } from './monitoring-bar';
import { CallPanel } from './call-panel';

function Harness() {
  const [sideCalls, setSideCalls] = useState([]);
  window.__setSideCalls = setSideCalls;
  const info = {
    sessionId: 's', direction: 'inbound', dialled: false, callId: null, clientId: null, reason: null, remoteNumber: '+74951000001',
    remoteName: null, ringingAt: Date.now(), answeredAt: Date.now(), connectedAt: Date.now(), far: null, endedAt: null, muted: false,
    holdPending: false, media: 'ok', endedBy: null, dtmfSent: '', monitor: null, lastError: null,
  };
  const snapshot = { registration: 'registered', attempt: 0, retryInMs: null, registrationError: null, call: 'connected', current: info, last: null, sideCalls };
  const none = () => undefined;
  return h('div', null,
    h(MonitoringBar, { monitor: window.__monitor, connected: true, sideCalls, onHangUp: none }),
    h(CallPanel, {
      snapshot, phoneUsable: true, canDialOut: true, placing: null, clientName: null, transferOpen: false, consultActive: false, error: null,
      onDismissError: none, onAnswer: none, onHangUp: none, onHold: none, onMute: none, onDtmf: none, onToggleTransfer: none, onDial: none, onCancelPlacing: none,
    }));
}
render(h(Harness, null), document.getElementById('app'));
`;

interface SideCallProps { kind: 'talk' | 'coach'; sessionId: string; label: string; connected: boolean; error?: string | null; callerHears?: boolean }

declare global {
  interface Window {
    __setSideCalls?: (calls: SideCallProps[]) => void;
    __monitor?: { mode: string; sessionId: string; label: string };
  }
}

describe('softphone whisper and barge pieces (Chromium, real API, ACD, Postgres, Redis; no SIP)', () => {
  let h: ApiHarness;
  let browser: Browser;
  let script: string;
  const placer = new MonitorLegPlacerDouble();
  let callId: string;
  const pages: WatchedPage[] = [];
  const LABEL = 'Anna Petrova ↔ +74951000001';

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, monitorLegs: placer });
    ({ callId } = await monitoringScene(h));
    const bundle = await build({
      stdin: { contents: ENTRY, loader: 'tsx', resolveDir: path.resolve(__dirname, '../../../src/web/softphone'), sourcefile: 'monitoring-bar-page.tsx' },
      bundle: true, write: false, format: 'iife', platform: 'browser', jsx: 'automatic', jsxImportSource: 'preact',
      tsconfig: path.resolve(__dirname, '../../../src/web/tsconfig.json'), loader: { '.wav': 'dataurl', '.svg': 'text' }, logLevel: 'silent',
    });
    script = bundle.outputFiles[0]?.text ?? '';
    browser = await launchChromium();
  });
  // Every page in this file must run without a console error (a refusal a test asks for is its own to allow).
  afterEach(() => expect(pages.at(-1)?.errors ?? []).toEqual([]));
  afterAll(() => releaseInOrder([...pages.map((p) => () => p.close()), () => browser?.close(), () => h?.close()]));

  /** A page signed in as `username`, showing the bar for monitoring session `sessionId` (served from the API's origin, so it talks to the real API). */
  async function barPage(username: string, password: string, sessionId: string, ignoreErrors: RegExp[] = []): Promise<Page> {
    const watched = await openPage(browser, { ignoreErrors });
    pages.push(watched);
    const { page } = watched;
    await signIn(page, h.baseUrl, 'admin', username, password);
    await page.getByRole('navigation').waitFor();
    await page.route(`${h.baseUrl}/softphone/bar-test.html`, (route) => route.fulfill({
      contentType: 'text/html', body: '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><div id="app"></div><script src="bar-test.js"></script></body></html>',
    }));
    await page.route(`${h.baseUrl}/softphone/bar-test.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
    await page.addInitScript((monitor) => { window.__monitor = monitor; }, { mode: 'listen', sessionId, label: LABEL });
    await page.goto(`${h.baseUrl}/softphone/bar-test.html`);
    return page;
  }

  const startListening = async (token: string): Promise<string> => {
    const started = await h.call<{ id: string }>('POST', '/api/call-monitoring/sessions', { token, body: { callId, mode: 'listen' } });
    expect(started.status).toBe(201);
    return started.body.id;
  };

  it('a supervisor switches listen → whisper → barge on the bar: the server takes each, the bar marks its answer and says who hears them', async () => {
    const sessionId = await startListening(h.tokens.supervisor);
    // The refused switch at the end is a 409, which the browser logs.
    const page = await barPage('h_supervisor', 'supervisor-password', sessionId, [/status of 409/]);
    const bar = page.getByTestId('monitoring-bar');
    const modes = bar.getByRole('group', { name: 'Monitoring mode' });
    const voice = bar.getByTestId('monitoring-voice');
    const pressed = (): Promise<string[]> => modes.locator('button[aria-pressed="true"]').allTextContents();
    await bar.getByRole('heading', { name: `Listening to ${LABEL}` }).waitFor();
    await eventually(() => modes.getByRole('button').allTextContents(), (names) => names.length === 3);
    await expect(modes.getByRole('button').allTextContents()).resolves.toEqual(['Listen', 'Whisper', 'Barge']);
    expect(await pressed()).toEqual(['Listen']);
    await expect(voice.textContent()).resolves.toBe('Neither party hears you or is told.');

    await modes.getByRole('button', { name: 'Whisper' }).click();
    await eventually(pressed, (names) => names[0] === 'Whisper');
    expect(placer.placed.at(-1)?.modes).toEqual(['listen', 'whisper']);
    await bar.getByRole('heading', { name: `Whispering to ${LABEL}` }).waitFor();
    // The server's talk leg is not up yet: the microphone is not live, and the bar does not say it is.
    await expect(voice.textContent()).resolves.toBe('Turning your microphone on…');

    // The phone could not answer the talk leg (no microphone permission): the bar says so, and that nobody hears them.
    await page.evaluate((talk) => window.__setSideCalls?.([talk]), { kind: 'talk' as const, sessionId, label: LABEL, connected: false, error: 'Permission denied' });
    await bar.getByRole('alert').getByText('Your microphone could not be turned on (Permission denied): nobody hears you.', { exact: false }).waitFor();
    await expect(voice.textContent()).resolves.toBe('Neither party hears you or is told.');

    await page.evaluate((talk) => window.__setSideCalls?.([talk]), { kind: 'talk' as const, sessionId, label: LABEL, connected: true, error: null });
    await voice.getByText('Your microphone is on: Anna Petrova hears you').waitFor();
    await expect(bar.getByRole('alert').count()).resolves.toBe(0);

    await modes.getByRole('button', { name: 'Barge' }).click();
    await eventually(pressed, (names) => names[0] === 'Barge');
    expect(placer.placed.at(-1)?.modes).toEqual(['listen', 'whisper', 'barge']);
    await voice.getByText('Your microphone is on: both the caller and the agent hear you').waitFor();

    // Switched elsewhere (the wallboard) back to whisper: when the talk leg comes again the bar reads the session anew.
    expect((await h.call('PATCH', `/api/call-monitoring/sessions/${sessionId}`, { token: h.tokens.supervisor, body: { mode: 'whisper' } })).status).toBe(200);
    await page.evaluate(() => window.__setSideCalls?.([]));
    await page.evaluate((talk) => window.__setSideCalls?.([talk]), { kind: 'talk' as const, sessionId, label: LABEL, connected: true, error: null });
    await eventually(pressed, (names) => names[0] === 'Whisper');
    await voice.getByText('Your microphone is on: Anna Petrova hears you').waitFor();

    // The session ended on the server: the next switch is refused, the bar shows the server's reason and keeps the mode it had.
    expect((await h.call('DELETE', `/api/call-monitoring/sessions/${sessionId}`, { token: h.tokens.supervisor })).status).toBe(200);
    const refusal = await h.call<{ error: { message: string } }>('PATCH', `/api/call-monitoring/sessions/${sessionId}`, { token: h.tokens.supervisor, body: { mode: 'listen' } });
    expect(refusal.status).toBeGreaterThanOrEqual(400);
    expect(refusal.body.error.message).not.toBe('');
    // Named as a user reads it on the bar: 'Listen' is one button only (the stop button does not say 'listening').
    await bar.getByRole('button', { name: 'Listen' }).click();
    await bar.getByRole('alert').getByText(refusal.body.error.message).waitFor();
    expect(await pressed()).toEqual(['Whisper']);
  });

  it('offers the quality role the Listen button only', async () => {
    const sessionId = await startListening(h.tokens.quality);
    const page = await barPage('h_quality', 'quality-password', sessionId);
    const modes = page.getByTestId('monitoring-bar').getByRole('group', { name: 'Monitoring mode' });
    await eventually(() => modes.getByRole('button').allTextContents(), (names) => names.length > 0);
    await expect(modes.getByRole('button').allTextContents()).resolves.toEqual(['Listen']);
    expect((await h.call('DELETE', `/api/call-monitoring/sessions/${sessionId}`, { token: h.tokens.quality })).status).toBe(200);
  });

  it('the agent\'s call panel says who is coaching while the coach leg is connected, and nothing otherwise', async () => {
    const page = await barPage('h_supervisor', 'supervisor-password', '');
    const notice = page.getByTestId('coaching-notice');
    await page.getByTestId('call-status').getByText('In call').waitFor();
    await expect(notice.count()).resolves.toBe(0);
    const coach = { kind: 'coach' as const, sessionId: 'x', label: 'Dmitri Lebedev', connected: false, error: null, callerHears: false };
    await page.evaluate((c) => window.__setSideCalls?.([c]), coach);
    await expect(notice.count()).resolves.toBe(0);
    await page.evaluate((c) => window.__setSideCalls?.([{ ...c, connected: true }]), coach);
    await notice.getByText('Coaching: Dmitri Lebedev is speaking to you — the caller does not hear them').waitFor();
    // Barging, the supervisor is heard by the caller too: the notice must not say otherwise.
    await page.evaluate((c) => window.__setSideCalls?.([{ ...c, connected: true, callerHears: true }]), coach);
    await notice.getByText('Dmitri Lebedev has joined the call: you and the caller both hear them').waitFor();
    await page.evaluate(() => window.__setSideCalls?.([]));
    await notice.waitFor({ state: 'detached' });
  });
});
