import Redis from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { Acd } from '../../src/acd';
import { freeTcpPort } from '../../src/platform/managed-process';
import { openPage, signIn, type WatchedPage } from '../helpers/browser';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { releaseInOrder } from '../helpers/release';
import { callerScenario, freeMediaPort, runSipp } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { componentAddress, sippErrors } from './call-session-kit';
import { launchSoftphoneBrowser } from './softphone-kit';

/** A market client in the demo directory; Anna (an operator) is their manager and a member of the operators' queue. */
const MARKET_CLIENT = '+74951000001';
const MARKET_CLIENT_NAME = 'Sadovod market, stall 14';

/** What the page measured while its audio element played the message (WebAudio analyser on the element). */
interface PlayedLevel {
  /** The loudest 2048-sample window's RMS, in full scale (1.0 = 0 dBFS). */
  loudestRms: number;
  /** Windows read while the element played. */
  windows: number;
  /** The element's duration in seconds. */
  duration: number;
}

/**
 * Plays the listed message's audio element from its start through a WebAudio
 * analyser and returns how loud what it played was. The element routes into
 * the analyser and on to the speakers, so what is measured is what the
 * operator hears, not the file on the server.
 */
function measurePlayback(page: Page, voicemailId: string): Promise<PlayedLevel> {
  return page.evaluate(async (id) => {
    const element = document.querySelector<HTMLAudioElement>(`[data-voicemail="${id}"] audio`);
    if (!element) throw new Error('no audio element for the message');
    element.pause();
    const context = new AudioContext();
    try {
      const analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      context.createMediaElementSource(element).connect(analyser);
      analyser.connect(context.destination);
      await context.resume();
      element.currentTime = 0;
      await element.play();
      const window = new Float32Array(analyser.fftSize);
      let loudestRms = 0;
      let windows = 0;
      // A window of 2048 samples is ~43 ms at 48 kHz: read once a frame (~17 ms), it sees all of what plays.
      const deadline = Date.now() + (element.duration + 5) * 1000;
      while (!element.ended && Date.now() < deadline) {
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
        analyser.getFloatTimeDomainData(window);
        let sum = 0;
        for (const sample of window) sum += sample * sample;
        loudestRms = Math.max(loudestRms, Math.sqrt(sum / window.length));
        windows++;
      }
      return { loudestRms, windows, duration: element.duration };
    } finally {
      await context.close();
    }
  }, voicemailId);
}

// Issue 17's proof "a caller leaves a voicemail that plays back non-silent in the softphone", end to end: the message is
// recorded over real SIP (sipp → drachtio-server → rtpengine's pcap recording → the WAV the app writes) and played in
// the owner's browser softphone, which measures what it plays.
describeWithDrachtio('voicemail in the softphone (issue 17): a caller overflows to voicemail over real SIP and the queue member plays it in Chromium, non-silent (drachtio-server, rtpengine, sipp, Redis, Postgres)', () => {
  let h: SystemHarness | undefined;
  let redis: Redis | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage | undefined;

  beforeAll(async () => {
    h = await startSystemHarness();
    const { host, port } = componentAddress(h, 'redis');
    redis = new Redis({ host, port, maxRetriesPerRequest: 2 });
    // Nobody serves the operators' queue: the caller waits until the queue's max wait sends them to voicemail.
    for (const login of ['anna', 'ion', 'olga']) {
      const token = await h.login(login, 'demo-pass-1');
      const id = (await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login])).rows[0]!.staff_id;
      await h.api('POST', `/api/agents/${id}/state`, token, { state: 'not_ready', reason: 'break' });
    }
    browser = await launchSoftphoneBrowser();
  }, 120_000);

  afterAll(() => releaseInOrder([() => watched?.close(), () => browser?.close(), () => redis?.disconnect(), () => h?.close()]), 100_000);

  afterEach(() => h!.expectNothingLeft(), 30_000);

  it('the operators’ queue overflows to voicemail after 3 s; the caller speaks until #; Anna sees it on her Messages tab with number, time and queue, plays it (the page hears sound), and marks it done', async () => {
    const system = h!;
    // A second view of the system's ACD (same Redis, same keys) shortens the queue's max wait and overflows it to voicemail.
    const acd = new Acd({ redis: redis! });
    const stored = await redis!.hget(acd.keys.get('queue', 'operators'), 'config');
    const original = JSON.parse(stored!) as Parameters<Acd['defineQueue']>[0];
    await acd.defineQueue({ ...original, maxWaitMs: 3000, overflow: { type: 'voicemail' } });
    const startedAt = new Date();
    try {
      const caller = await runSipp({
        scenario: callerScenario({
          from: MARKET_CLIENT, to: 'hotline',
          // 1 in the main menu; the overflow after 3 s, the greeting (≤ 5 s) and the tone; speech; # to finish.
          steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 10_000 }, { audio: true }, { pauseMs: 4000 }, { key: '#' }, { awaitBye: true, timeoutMs: 20_000 }],
        }),
        target: system.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
      });
      expect(sippErrors(caller.errors)).toBe('');
      expect(caller.successful).toBe(1);
    } finally {
      await acd.defineQueue(original);
    }

    const call = await eventually(async () => (await system.db.query('SELECT * FROM calls WHERE started_at >= $1 ORDER BY started_at DESC LIMIT 1', [startedAt])).rows[0], (c) => c?.ended_at != null && c?.recording_id != null);
    expect(call).toMatchObject({ queue_name: 'operators', hangup_side: 'system', agent_id: null });
    const overflowed = (await system.db.query<{ data: { target: string } }>("SELECT data FROM call_events WHERE call_id = $1 AND type = 'overflowed'", [call.id])).rows;
    expect(overflowed.map((e) => e.data.target)).toEqual([expect.stringMatching(/voicemail/)]);
    const message = (await system.db.query<{ id: string; recorded_at: Date }>('SELECT id, recorded_at FROM voicemails WHERE call_id = $1', [call.id])).rows[0]!;
    expect(message).toBeDefined();

    watched = await openPage(browser!);
    const page = watched.page;
    await signIn(page, system.baseUrl, 'softphone', 'anna', 'demo-pass-1');
    const tab = page.getByRole('tab', { name: /Messages/ });
    await tab.getByTestId('voicemail-count').waitFor({ timeout: 20_000 });
    await tab.click();
    const entry = page.locator(`[data-voicemail="${message.id}"]`);
    // Who called (the client and their number), when, and for which queue, as the operator reads it.
    await entry.getByText(MARKET_CLIENT_NAME).waitFor();
    await entry.getByText(new RegExp(`${MARKET_CLIENT.replace('+', '\\+')} · queue operators`)).waitFor();
    const shownAt = await page.evaluate((at) => new Date(at).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' }), message.recorded_at.toISOString());
    await entry.getByText(shownAt, { exact: true }).waitFor();

    await entry.getByRole('button', { name: /^Play/ }).click();
    await entry.getByTestId('voicemail-audio').waitFor();
    await page.waitForFunction((id) => (document.querySelector<HTMLAudioElement>(`[data-voicemail="${id}"] audio`)?.duration ?? 0) > 1, message.id, { timeout: 15_000 });
    const played = await measurePlayback(page, message.id);
    expect(played.duration).toBeGreaterThan(2);
    expect(played.windows).toBeGreaterThan(10);
    // Speech from sipp's PCMA sample peaks far above -40 dBFS; a silent or empty recording stays at 0.
    expect(played.loudestRms).toBeGreaterThan(0.01);
    await watched.screenshot('softphone-voicemail-over-sip');

    await entry.getByRole('button', { name: /^Done/ }).click();
    await entry.waitFor({ state: 'detached' });
    const done = (await system.db.query<{ done_by: number | null }>('SELECT done_by FROM voicemails WHERE id = $1', [message.id])).rows[0];
    expect(done?.done_by).toBe((await system.db.query<{ staff_id: number }>("SELECT staff_id FROM users WHERE username = 'anna'")).rows[0]!.staff_id);
    expect(watched.errors).toEqual([]);
  }, 150_000);
});
