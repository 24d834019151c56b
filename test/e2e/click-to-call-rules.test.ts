import type { Browser, Page } from 'playwright-core';
import { freeTcpPort } from '../../src/platform/managed-process';
import { openPage, signIn, type WatchedPage } from '../helpers/browser';
import { describeWithDrachtio } from '../helpers/drachtio';
import { agentScenario, freeMediaPort } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { startPhone } from './call-session-kit';
import { afterSoftphoneTests, launchSoftphoneBrowser, phoneCall, prepareSoftphoneContext } from './softphone-kit';

/** A market client in the demo directory: 8 (495) 100-00-01 as people write it. */
const MARKET_CLIENT_DIALLED = '8 (495) 100-00-01';
const MARKET_CLIENT_NAME = 'Sadovod market, stall 14';
/** The outbound trunk answers on its own loopback address (staff phones are on 127.0.0.1). */
const TRUNK_IP = '127.0.0.5';

/** A zone where it is night now (00:00–07:00 local), whatever the hour the test runs at. */
function zoneAtNight(): string {
  const zones = ['Pacific/Kiritimati', 'Asia/Tokyo', 'Asia/Tashkent', 'Europe/Moscow', 'Atlantic/South_Georgia', 'America/New_York', 'Pacific/Honolulu'];
  const hourIn = (zone: string): number => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const zone = zones.find((z) => hourIn(z) < 7);
  if (!zone) throw new Error('no zone at night in the list: widen it');
  return zone;
}

// Issue 17 point 8 for a person's own call from the softphone: the do-not-call list refuses it with the entry named,
// and outside the client's calling window it is placed and the softphone says so (the site's window 09:00–21:00).
describeWithDrachtio('click-to-call from the softphone meets the do-not-call list and the calling window (Chromium, drachtio-server, rtpengine, sipp, Redis, Postgres)', () => {
  let h: SystemHarness | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage | undefined;
  let page: Page;
  let trunkPort: number;

  beforeAll(async () => {
    trunkPort = await freeTcpPort();
    h = await startSystemHarness({ env: { SIP_TRUNKS: `${TRUNK_IP}:${trunkPort},127.0.0.1/32`, CALLING_WINDOW_START: '09:00', CALLING_WINDOW_END: '21:00' } });
    browser = await launchSoftphoneBrowser();
    // The refused call's 403 is logged by Chromium as a failed resource: that one is expected.
    watched = await openPage(browser, { ignoreErrors: [/the server responded with a status of 403/] });
    page = watched.page;
    await prepareSoftphoneContext(watched.context);
    await signIn(page, h.baseUrl, 'softphone', 'anna', 'demo-pass-1');
    await page.getByTestId('phone-status').getByText('Phone: registered').waitFor({ timeout: 20_000 });
  }, 180_000);

  afterSoftphoneTests(() => ({ h, browser, watched }));

  const dial = async (number: string): Promise<void> => {
    const pad = page.getByRole('form', { name: 'Dial pad' });
    await pad.getByLabel('Number to call').fill(number);
    await pad.getByRole('button', { name: 'Call', exact: true }).click();
  };

  it('a client whose local time is outside the calling window: the call is placed, and the softphone says so until dismissed', async () => {
    const system = h!;
    const zone = zoneAtNight();
    const client = (await system.db.query<{ id: number; time_zone: string | null }>('SELECT id, time_zone FROM clients WHERE name = $1', [MARKET_CLIENT_NAME])).rows[0]!;
    await system.db.query('UPDATE clients SET time_zone = $2 WHERE id = $1', [client.id, zone]);
    // The client's phone is busy: the call was placed (the trunk got the INVITE), and ends at once.
    const trunk = startPhone({ scenario: agentScenario('busy'), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort() });
    try {
      await dial(MARKET_CLIENT_DIALLED);
      const notice = page.getByTestId('call-notice');
      // The client's window and their time now, in people's words (not the server's ISO instant).
      const theirTime = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      const zoneText = zone.replace('/', '\\/');
      await notice.getByText(new RegExp(`^Outside the client's calling window: 09:00–21:00 their time \\(${zoneText}\\), now \\d\\d:\\d\\d there\\. Calls allowed again (today|tomorrow) at 09:00 their time\\.$`)).waitFor({ timeout: 20_000 });
      const said = (await notice.textContent()) ?? '';
      expect(said).not.toMatch(/\d{4}-\d\d-\d\dT/);
      // Their hour, not this machine's (the page's clock read may be a minute behind the test's).
      expect([new Date(Date.now() - 60_000), new Date()].map((at) => `now ${theirTime.format(at).slice(0, 2)}:`).some((hour) => said.includes(hour))).toBe(true);
      expect(await trunk.done).toBe(0);
      const failed = page.getByTestId('far-failed');
      await failed.waitFor({ timeout: 20_000 });
      await watched!.screenshot('softphone-call-outside-window');
      // In the softphone's other language too.
      await page.getByLabel('Language', { exact: true }).selectOption('ru');
      await notice.getByText(new RegExp(`^Вне окна звонков клиенту: 09:00–21:00 по его времени \\(${zoneText}\\), у него сейчас \\d\\d:\\d\\d\\. Звонить снова можно (сегодня|завтра) в 09:00 по его времени\\.$`)).waitFor();
      await watched!.screenshot('softphone-call-outside-window-ru');
      await page.getByLabel('Язык', { exact: true }).selectOption('en');
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await notice.waitFor({ state: 'detached' });
      await failed.getByRole('button', { name: 'Dismiss' }).click();
    } finally {
      await system.db.query('UPDATE clients SET time_zone = $2 WHERE id = $1', [client.id, client.time_zone]);
      trunk.stop();
    }
  }, 90_000);

  it('a number on the do-not-call list: refused before anything rings, the message names the entry', async () => {
    const system = h!;
    await system.db.query("INSERT INTO do_not_call (e164, reason) VALUES ('+74951777209', 'asked by letter 2026-11-30')");
    await dial('+7 495 177-72-09');
    await page.getByRole('alert').getByText(/\+74951777209 is on the do-not-call list \(asked by letter 2026-11-30\)/).waitFor({ timeout: 20_000 });
    await watched!.screenshot('softphone-call-do-not-call');
    expect((await phoneCall(page)).state).toBe('idle');
    const placed = await system.db.query("SELECT 1 FROM calls WHERE direction = 'outbound' AND dialed_number = '+74951777209'");
    expect(placed.rowCount).toBe(0);
  }, 60_000);
});
