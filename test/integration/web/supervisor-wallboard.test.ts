import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { Acd } from '../../../src/acd';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { expectSoon } from '../../helpers/eventually';
import { launchChromium, openPage, signIn, type WatchedPage } from '../../helpers/browser';

/** Changes must reach the screen within about two seconds of happening in the ACD, without a reload. */
const LIVE_MS = 2500;

function tile(page: Page, queue: string): ReturnType<Page['locator']> {
  return page.locator(`article.wb-queue[data-queue="${queue}"]`);
}

// Issue 7: the live wallboard follows the ACD over a WebSocket: callers joining and leaving the line, agents changing state, alerts.
describe('supervisor live wallboard (Chromium, real ACD)', () => {
  let harness: ApiHarness;
  let acd: Acd;
  let browser: Browser;
  let watched: WatchedPage;
  const staff = new Map<string, number>();
  let sadovod: number;

  beforeAll(async () => {
    harness = await startApiHarness({ demo: true, acd: true });
    if (!harness.acd) throw new Error('the API harness did not wire the ACD');
    acd = harness.acd;
    for (const row of (await harness.db.query<{ id: number; full_name: string }>('SELECT id, full_name FROM staff')).rows) staff.set(row.full_name, row.id);
    sadovod = (await harness.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Sadovod market, stall 14'")).rows[0]?.id ?? 0;
    // A short long-wait threshold on the regional queue, so that the alert shows within the test (set before the wallboard first reads it).
    await harness.db.query("UPDATE queues SET long_wait_alert_seconds = 5 WHERE name = 'regional'");
    browser = await launchChromium();
    watched = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    await signIn(watched.page, harness.baseUrl, 'admin', 'h_supervisor', 'supervisor-password');
    await watched.page.getByRole('navigation').getByRole('link', { name: 'Live wallboard' }).click();
  });
  afterAll(async () => {
    await watched?.close();
    await browser?.close();
    await harness?.close();
  });

  it('shows a caller joining the line and leaving it when an agent answers, the agent talking, and a long-wait alert — live', async () => {
    const { page } = watched;
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await expectSoon(() => tile(page, 'operators').locator('[data-testid="waiting-count"]').textContent(), '0');
    await expectSoon(() => page.getByRole('region', { name: 'Waiting calls' }).textContent(), /Nobody is waiting/);

    const anna = String(staff.get('Anna Petrova'));
    const ion = String(staff.get('Ion Popescu'));
    await acd.transition(ion, 'not_ready', { reason: 'lunch' });
    const marketCall = randomUUID();
    const regionalCall = randomUUID();
    await acd.enqueue({ callId: marketCall, queueId: 'operators', callerNumber: '+74951000001', meta: { clientId: sadovod } });
    await acd.enqueue({ callId: regionalCall, queueId: 'regional', callerNumber: '+74822100005' });

    // Within ~2 s, without a reload: the count and the list of waiting callers.
    await page.locator(`tr[data-call-id="${marketCall}"]`).waitFor({ timeout: LIVE_MS });
    await expectSoon(() => tile(page, 'operators').locator('[data-testid="waiting-count"]').textContent(), '1');
    await expectSoon(() => page.locator(`tr[data-call-id="${marketCall}"]`).textContent(), /Sadovod market, stall 14.*market.*Operators/);
    await expectSoon(() => page.locator(`tr[data-call-id="${regionalCall}"]`).textContent(), /Unknown caller.*Regional orders/);
    await expectSoon(() => page.locator(`tr[data-staff-id="${ion}"]`).textContent(), /Not ready.*lunch/);

    // The wait ticks on the page between snapshots.
    const waitCell = page.locator(`tr[data-call-id="${marketCall}"] td.timer`);
    const before = await waitCell.textContent();
    await page.waitForTimeout(1500);
    expect(await waitCell.textContent()).not.toBe(before);

    // Anna becomes ready: the ACD reserves the waiting call for her; she answers.
    const ready = await acd.transition(anna, 'ready');
    expect(ready.reservations.map((r) => r.callId)).toEqual([marketCall]);
    await acd.markOffered(marketCall, anna);
    await acd.answer(marketCall, anna);
    await page.locator(`tr[data-call-id="${marketCall}"]`).waitFor({ state: 'detached', timeout: LIVE_MS });
    await expectSoon(() => tile(page, 'operators').locator('[data-testid="waiting-count"]').textContent(), '0');
    const annaRow = page.locator(`tr[data-staff-id="${anna}"]`);
    await expectSoon(() => annaRow.locator('.badge').textContent(), 'Talking');
    await expectSoon(() => annaRow.textContent(), new RegExp(marketCall.slice(0, 8)));
    await expectSoon(() => tile(page, 'operators').getByRole('img').getAttribute('aria-label'), /Talking 1/);

    // The regional caller has now waited past the queue's 5 s threshold: an alert, and the queue's tile is marked.
    const alert = page.locator('[data-alert="long_wait"][data-queue="regional"]');
    await alert.waitFor({ timeout: 10_000 });
    await expectSoon(() => alert.textContent(), /Long wait.*Regional orders: 1 caller waiting over 5 s/);
    await expectSoon(() => tile(page, 'regional').getAttribute('class'), /alerting/);
    await watched.screenshot('supervisor-wallboard');

    // Wall mode: the board alone, dark, full window; Escape leaves it.
    await page.getByRole('button', { name: 'Wall mode' }).click();
    expect(page.url()).toMatch(/#\/wallboard\/wall$/);
    const board = page.getByRole('region', { name: 'Live wallboard' });
    // Wall mode is applied once the page has followed the new route.
    await expectSoon(() => board.getAttribute('class'), /\bwall\b/);
    const box = await board.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 1600 });
    await expect(board.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe('rgb(13, 17, 23)');
    await watched.screenshot('supervisor-wallboard-wall');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: 'Wall mode' }).isVisible()).resolves.toBe(true);

    // In Russian the alert is worded from the queue's own figures.
    await page.getByLabel('Language').selectOption('ru');
    await expectSoon(() => alert.textContent(), /Долгое ожидание.*Regional orders: абоненты ждут слишком долго \(дольше всех \d+:\d\d\)/);
    await expectSoon(() => page.getByRole('heading', { level: 1 }).textContent(), 'Табло в реальном времени');
    await watched.screenshot('supervisor-wallboard-ru');
    await page.getByLabel('Язык').selectOption('en');

    // Narrowed to one queue.
    await page.getByLabel('Show queue').selectOption('regional');
    await expectSoon(async () => String(await page.locator('article.wb-queue').count()), '1');
    await expectSoon(async () => String(await page.locator(`tr[data-staff-id="${anna}"]`).count()), '0');
    await page.getByLabel('Show queue').selectOption('');

    await acd.hangUp(marketCall);
    await acd.abandon(regionalCall);
    await page.locator(`tr[data-call-id="${regionalCall}"]`).waitFor({ state: 'detached', timeout: LIVE_MS });
    await expectSoon(() => page.locator(`tr[data-staff-id="${anna}"] .badge`).textContent(), 'Wrap-up');
    expect(watched.errors).toEqual([]);
  });

  it('keeps an operator out: no wallboard page, and the server refuses the floor', async () => {
    const operator = await openPage(browser);
    try {
      await operator.page.goto(`${harness.baseUrl}/admin/#/wallboard`);
      await signIn(operator.page, harness.baseUrl, 'admin', 'h_operator', 'operator-password');
      await expectSoon(() => operator.page.getByRole('alert').textContent(), /may not open the admin and supervisor pages/);
      await expect(operator.page.getByRole('region', { name: 'Live wallboard' }).count()).resolves.toBe(0);
      expect(operator.errors).toEqual([]);
    } finally {
      await operator.close();
    }
    expect((await harness.call('GET', '/api/floor', { token: harness.tokens.operator })).status).toBe(403);
  });

  // Issue 15: access must not outlive its grant. The server closes the live socket of a session logged out elsewhere (4401);
  // the page's next ticket request is refused, and it shows the login form instead of a wallboard that quietly keeps going.
  it('sends a wallboard whose session was logged out elsewhere back to the login form', async () => {
    const other = await openPage(browser, { ignoreErrors: [/401 \(Unauthorized\)/] });
    try {
      await signIn(other.page, harness.baseUrl, 'admin', 'h_supervisor', 'supervisor-password');
      await other.page.getByRole('navigation').getByRole('link', { name: 'Live wallboard' }).click();
      await other.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      const token = await other.page.evaluate(() => (JSON.parse(localStorage.getItem('switchboard.session') ?? '{}') as { token?: string }).token ?? '');
      expect((await harness.call('POST', '/api/auth/logout', { token })).status).toBe(204);
      await other.page.getByLabel(/username/i).waitFor({ timeout: 10_000 });
      await expect(other.page.getByRole('region', { name: 'Live wallboard' }).count()).resolves.toBe(0);
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
