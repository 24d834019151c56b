import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { launchChromium, openPage, signIn, type WatchedPage } from '../../helpers/browser';
import { eventually } from '../../helpers/eventually';

/**
 * The operator softphone screen in Chromium against the real server (real
 * Postgres, Redis and ACD; SIP off, so the page says "telephony offline" and
 * everything else must still work): state changes through the API and back
 * over the event socket, the client card of an offered call before it is
 * answered, the wrap-up form saved to the call record, history and shift
 * figures, the new-client card, reconnection of the event socket, shortcuts.
 * Calls over real SIP are in test/e2e/softphone-calls.test.ts.
 */
describe('softphone screen (Chromium, real API, ACD, Postgres, Redis; SIP off)', () => {
  let h: ApiHarness;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  let supervisor: string;
  const staff: Record<string, number> = {};

  const agentState = async (login: string): Promise<string> => (await h.call('GET', `/api/agents/${staff[login]}`, { token: supervisor })).body.state as string;

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, components: () => [{ name: 'sip', state: 'disabled', required: false }] });
    supervisor = h.tokens.supervisor;
    const { rows } = await h.db.query<{ username: string; staff_id: number }>("SELECT username, staff_id FROM users WHERE username IN ('anna', 'ion', 'olga')");
    for (const row of rows) staff[row.username] = row.staff_id;
    browser = await launchChromium();
    watched = await openPage(browser);
    page = watched.page;
  }, 120_000);

  afterAll(async () => {
    await watched?.close();
    await browser?.close();
    await h?.close();
  });

  afterEach(() => {
    // Every screen in this file must run without a console error.
    expect(watched.errors).toEqual([]);
  });

  it('an operator signs in: the page is live with the server, says telephony is offline, and changes state through the server', async () => {
    await signIn(page, h.baseUrl, 'softphone', 'anna', 'demo-pass-1');
    await page.getByTestId('server-status').getByText('Server: live').waitFor();
    await expect(page.getByTestId('phone-status').textContent()).resolves.toContain('Telephony offline');
    await expect(page.getByTestId('telephony-offline').isVisible()).resolves.toBe(true);
    await page.getByTestId('agent-state').getByText('Logged out').waitFor();

    await page.getByRole('button', { name: /^Ready/ }).click();
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
    expect(await agentState('anna')).toBe('ready');

    await page.getByLabel('Not-ready reason').selectOption('lunch');
    await page.getByRole('button', { name: 'Not ready', exact: true }).click();
    await page.getByTestId('agent-state').getByText('Not ready').waitFor();
    await page.getByText(/Lunch · for/).waitFor();
    expect(await agentState('anna')).toBe('not_ready');

    // A change made elsewhere (a supervisor) reaches the page over its event socket: the server is the truth.
    expect((await h.call('POST', `/api/agents/${staff.anna}/state`, { token: supervisor, body: { state: 'ready' } })).status).toBe(200);
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
    await page.getByText('You are Ready.', { exact: false }).waitFor();
    await watched.screenshot('softphone-idle');
  }, 60_000);

  it('when the server drops the event socket the page says it is reconnecting, comes back, and shows what changed meanwhile', async () => {
    const server = h.app.websocketServer;
    expect(server.clients.size).toBe(1);
    // Changed while the page is cut off; the page must learn it from the hello on reconnection.
    for (const client of server.clients) client.terminate();
    await page.getByTestId('server-status').getByText(/reconnecting/i).waitFor();
    expect((await h.call('POST', `/api/agents/${staff.anna}/state`, { token: supervisor, body: { state: 'not_ready', reason: 'break' } })).status).toBe(200);
    await page.getByTestId('server-status').getByText('Server: live').waitFor({ timeout: 15_000 });
    await page.getByTestId('agent-state').getByText('Not ready').waitFor();
    await page.getByText(/Break · for/).waitFor();
    await page.keyboard.press('r');
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
  }, 60_000);

  it('an offered call shows the client card before it is answered; when it ends the wrap-up form saves the disposition to the call record', async () => {
    const kolos = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Kolos market stall (overdue)'")).rows[0]!.id;
    const callId = randomUUID();
    const reason = 'order from market client Kolos market stall (overdue) — queue operators, priority 5';
    const enqueued = await h.acd!.enqueue({ callId, queueId: 'operators', callerNumber: '+74951000006', meta: { clientId: kolos, reason, callerNumber: '+74951000006', ivrPath: ['greeting', 'main_menu', 'order'] } });
    expect(enqueued.reservations.map((r) => r.agentId)).toEqual([String(staff.anna)]);
    await h.acd!.markOffered(callId, String(staff.anna));

    const card = page.getByTestId('client-card');
    await card.getByText('Call being offered to you').waitFor();
    await expect(page.getByTestId('client-name').textContent()).resolves.toBe('Kolos market stall (overdue)');
    await expect(page.getByTestId('client-type').textContent()).resolves.toBe('Market');
    await expect(page.getByTestId('client-manager').textContent()).resolves.toBe('Anna Petrova');
    const debt = await page.getByTestId('debt-warning').textContent();
    expect(debt).toMatch(/Debt — do not take an order/);
    expect(debt).toMatch(/Overdue: 15[\s,.]?000\.00/);
    expect(debt).toMatch(/Over the limit: balance 62[\s,.]?000\.00 of 50[\s,.]?000\.00/);
    await expect(page.getByTestId('routing-reason').textContent()).resolves.toBe(reason);
    await expect(card.getByText('main_menu').isVisible()).resolves.toBe(true);
    await expect(card.getByText('Overdue since October.').isVisible()).resolves.toBe(true);

    // Taken (on a desk phone: the SIP side is off here) and ended by the caller; the call row is written as the call ends.
    await h.acd!.answer(callId, String(staff.anna));
    await page.getByTestId('agent-state').getByText('On a call').waitFor();
    await h.db.query(
      `INSERT INTO calls (id, direction, caller_number, caller_e164, client_id, client_type, started_at, answered_at, agent_answered_at, ended_at, queue_name, agent_id, agent_ids, talk_ms, outcome, hangup_side, routing_reason)
       VALUES ($1, 'inbound', '+74951000006', '+74951000006', $2, 'market', now() - interval '95 seconds', now() - interval '94 seconds', now() - interval '80 seconds', now(), 'operators', $3, ARRAY[$3::int], 80000, 'answered', 'caller', $4)`,
      [callId, kolos, staff.anna, reason],
    );
    await h.acd!.hangUp(callId, { by: 'caller' });
    await page.getByTestId('agent-state').getByText('Wrap-up').waitFor();
    await expect(page.getByTestId('wrap-up-timer').textContent()).resolves.toMatch(/^0:[0-5]\d$/);
    const form = page.getByTestId('wrap-up-form');
    await form.waitFor();

    // Saving without a disposition is impossible; a wrong amount is refused on the page.
    await expect(form.getByRole('button', { name: 'Save', exact: true }).isDisabled()).resolves.toBe(true);
    await form.getByLabel('Disposition').selectOption('order_taken');
    await form.getByLabel('Notes').fill('Two boxes of buckwheat; told about the overdue debt.');
    await form.getByLabel('Order reference (optional)').fill('ORD-7781');
    await form.getByLabel('Order amount (optional)').fill('12 x');
    await form.getByText('The amount must be a number.').waitFor();
    await form.getByLabel('Order amount (optional)').fill('1250,50');
    await watched.screenshot('softphone-wrap-up');
    await form.getByRole('button', { name: 'Save and get ready' }).click();
    await form.getByText('Saved to the call record.').waitFor();

    const saved = await h.db.query('SELECT w.disposition_code, w.notes, w.order_reference, w.order_amount::float AS amount, c.disposition_code AS call_code FROM wrap_ups w JOIN calls c ON c.id = w.call_id WHERE w.call_id = $1', [callId]);
    expect(saved.rows).toEqual([{ disposition_code: 'order_taken', notes: 'Two boxes of buckwheat; told about the overdue debt.', order_reference: 'ORD-7781', amount: 1250.5, call_code: 'order_taken' }]);
    // "Save and get ready" ended the wrap-up time.
    await page.getByTestId('agent-state').getByText('Ready').waitFor();
    expect(await agentState('anna')).toBe('ready');

    // Today's history and the shift figures show the call.
    await page.getByRole('tab', { name: 'Today' }).click();
    const history = page.getByTestId('my-calls');
    await history.getByText('Kolos market stall (overdue)').waitFor();
    await expect(history.getByText('Order taken').isVisible()).resolves.toBe(true);
    await expect(history.getByText('1:20').isVisible()).resolves.toBe(true);
    await page.getByRole('tab', { name: 'My shift' }).click();
    const stats = page.getByTestId('my-stats');
    await stats.getByText('Handled').waitFor();
    const annaToken = (await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: 'anna', password: 'demo-pass-1' } })).body.token;
    const figures = (await h.call('GET', '/api/me/stats', { token: annaToken })).body as { handled: number };
    expect(figures.handled).toBeGreaterThanOrEqual(1);
    await expect(stats.locator('.sp-tile').first().textContent()).resolves.toBe(`${figures.handled}Handled`);
    await expect(stats.getByRole('cell', { name: 'Order taken' }).isVisible()).resolves.toBe(true);
  }, 90_000);

  it('an unknown caller gets the "new client" card; the quick form creates the client and the card becomes theirs', async () => {
    const callId = randomUUID();
    await h.acd!.enqueue({ callId, queueId: 'operators', callerNumber: '+74957770011', meta: { clientId: null, reason: 'new client — queue operators', callerNumber: '+74957770011', ivrPath: ['greeting'] } });
    await h.acd!.markOffered(callId, String(staff.anna));
    const card = page.getByTestId('client-card');
    await page.getByTestId('client-name').getByText('New client').waitFor();
    const quick = card.getByRole('form', { name: 'Add this caller to the directory' });
    await expect(quick.getByLabel('Phone', { exact: true }).inputValue()).resolves.toBe('+74957770011');
    await quick.getByLabel('Name', { exact: true }).fill('Fresh Bakery on Lenina');
    await quick.getByLabel('Client type').selectOption('retail');
    await quick.getByLabel('Region', { exact: true }).fill('Tula');
    await quick.getByRole('button', { name: 'Create client' }).click();
    await page.getByTestId('client-name').getByText('Fresh Bakery on Lenina').waitFor();
    await expect(page.getByTestId('client-type').textContent()).resolves.toBe('Retail');
    const created = await h.db.query("SELECT c.name, c.region, p.e164 FROM clients c JOIN client_phones p ON p.client_id = c.id WHERE c.name = 'Fresh Bakery on Lenina'");
    expect(created.rows).toEqual([{ name: 'Fresh Bakery on Lenina', region: 'Tula', e164: '+74957770011' }]);

    // Let the offer go: the caller hangs up while it rings.
    await h.acd!.abandon(callId);
    await eventually(() => agentState('anna'), (s) => s !== 'reserved');
  }, 60_000);

  it('documents its keyboard shortcuts in a "?" panel that typing never opens, and speaks Russian', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await expect(help.getByText('Answer the ringing call').isVisible()).resolves.toBe(true);
    await expect(help.getByText('Hold / resume').isVisible()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    // Typed into a field, "?" and "r" are text, not shortcuts.
    await page.getByRole('tab', { name: 'Assignments' }).click();
    const number = page.getByLabel('Number to call');
    if (await number.count()) {
      await number.fill('');
      await number.pressSequentially('?r');
      await expect(number.inputValue()).resolves.toBe('?r');
      await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    }
    await page.getByLabel('Language', { exact: true }).selectOption('ru');
    await page.getByRole('region', { name: 'Мой статус' }).waitFor();
    await expect(page.getByRole('button', { name: /^Готов/ }).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('phone-status').textContent()).resolves.toContain('Телефония недоступна');
    await page.getByLabel('Язык', { exact: true }).selectOption('en');
  }, 30_000);

  it('a user with no staff member is told why the softphone cannot start', async () => {
    const other = await openPage(browser, { ignoreErrors: [/409/] });
    try {
      await signIn(other.page, h.baseUrl, 'softphone', 'admin', 'admin-password');
      await other.page.getByRole('heading', { name: 'The softphone cannot start' }).waitFor();
      await expect(other.page.getByRole('alert').textContent()).resolves.toMatch(/staff/i);
      expect(other.errors.filter((e) => !/409/.test(e))).toEqual([]);
    } finally {
      await other.close();
    }
  }, 30_000);
});
