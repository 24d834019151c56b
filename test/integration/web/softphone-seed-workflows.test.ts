import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { launchChromium, openPage, signIn, type WatchedPage } from '../../helpers/browser';

/**
 * Issue 17 point 8 in Chromium against the real server (SIP off): the retail
 * head assigns Olga to the new retail client on the softphone's "New clients"
 * tab, and Olga's softphone, open meanwhile, shows the notification live and
 * in her list. Then Olga takes a call from a regional client: the wrap-up
 * form asks for payment form, delivery date and shipping details, and the
 * client's manager (Ion) finds the order in "My clients' orders".
 */
describe('softphone: the head assigns a new client, the manager is told (Chromium)', () => {
  let h: ApiHarness;
  let browser: Browser;
  let head: WatchedPage;
  let olga: WatchedPage;

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, components: () => [{ name: 'sip', state: 'disabled', required: false }] });
    browser = await launchChromium();
    head = await openPage(browser, { viewport: { width: 1400, height: 1000 } });
    olga = await openPage(browser, { viewport: { width: 1400, height: 1000 } });
  }, 120_000);

  afterAll(async () => {
    await head?.close();
    await olga?.close();
    await browser?.close();
    await h?.close();
  });

  it('assigns on the head\'s screen; the manager sees it arrive', async () => {
    await signIn(olga.page, h.baseUrl, 'softphone', 'olga', 'demo-pass-1');
    await olga.page.getByTestId('server-status').getByText('Server: live').waitFor();
    await signIn(head.page, h.baseUrl, 'softphone', 'head_retail', 'demo-pass-1');
    const panel = head.page.getByTestId('new-clients');
    await panel.getByText('New shop, no manager yet').waitFor();
    await head.screenshot('softphone-head-new-clients');
    await panel.getByLabel('Manager for New shop, no manager yet').selectOption({ label: 'Olga Smirnova' });
    await panel.getByRole('button', { name: 'Assign' }).click();
    await panel.getByText('New shop, no manager yet is now managed by Olga Smirnova.').waitFor();
    await panel.getByText('No new clients are waiting for a manager.').waitFor();

    await olga.page.getByTestId('live-notice').getByText('New client New shop, no manager yet assigned to you by Marek Nowak', { exact: false }).waitFor();
    await olga.page.getByTestId('notifications').getByText('New client New shop, no manager yet', { exact: false }).waitFor();
    await olga.screenshot('softphone-manager-notification');
    expect(head.errors).toEqual([]);
    expect(olga.errors).toEqual([]);
  }, 90_000);

  it('a regional client\'s order needs its details on the wrap-up form; the client\'s manager lists it', async () => {
    const staffOf = async (username: string): Promise<number> => (await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [username])).rows[0]!.staff_id;
    const olgaId = await staffOf('olga');
    const tver = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Tver Wholesale Base'")).rows[0]!.id;
    expect((await h.call('POST', `/api/agents/${olgaId}/state`, { token: h.tokens.supervisor, body: { state: 'ready' } })).status).toBe(200);
    await olga.page.getByTestId('agent-state').getByText('Ready').waitFor();
    const callId = randomUUID();
    const enqueued = await h.acd!.enqueue({ callId, queueId: 'operators', callerNumber: '+74822100005', meta: { clientId: tver, reason: 'order from regional client', callerNumber: '+74822100005', ivrPath: ['greeting'] } });
    expect(enqueued.reservations.map((r) => r.agentId)).toEqual([String(olgaId)]);
    await h.acd!.markOffered(callId, String(olgaId));
    await olga.page.getByTestId('client-card').getByText('Tver Wholesale Base').first().waitFor();
    await h.acd!.answer(callId, String(olgaId));
    await olga.page.getByTestId('agent-state').getByText('On a call').waitFor();
    await h.db.query(
      `INSERT INTO calls (id, direction, caller_number, caller_e164, client_id, client_type, started_at, answered_at, agent_answered_at, ended_at, queue_name, agent_id, agent_ids, talk_ms, outcome, hangup_side)
       VALUES ($1, 'inbound', '+74822100005', '+74822100005', $2, 'regional', now() - interval '95 seconds', now() - interval '94 seconds', now() - interval '80 seconds', now(), 'operators', $3, ARRAY[$3::int], 80000, 'answered', 'caller')`,
      [callId, tver, olgaId],
    );
    await h.acd!.hangUp(callId, { by: 'caller' });
    const form = olga.page.getByTestId('wrap-up-form');
    await form.waitFor();
    const fields = form.getByTestId('regional-order-fields');
    await fields.waitFor();
    await form.getByLabel('Disposition').selectOption('order_taken');
    await form.getByLabel('Order reference (optional)').fill('TV-2001');
    await form.getByLabel('Order amount (optional)').fill('91000');
    // With an order the details are required: the browser will not send the form without them.
    await expect(fields.getByLabel('Payment form').evaluate((el) => (el as HTMLSelectElement).required)).resolves.toBe(true);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(fields.getByLabel('Payment form').evaluate((el) => (el as HTMLSelectElement).validity.valueMissing)).resolves.toBe(true);
    expect((await h.db.query('SELECT 1 FROM wrap_ups WHERE call_id = $1', [callId])).rowCount).toBe(0);

    await fields.getByLabel('Payment form').selectOption('bank_transfer');
    await fields.getByLabel('Delivery date').fill('2099-03-02');
    await fields.getByLabel('Shipping details').fill('Tver, Zavodskaya 4, gate 2; by truck');
    await olga.screenshot('softphone-wrap-up-regional-order');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByText('Saved to the call record.').waitFor();
    const saved = await h.db.query<{ payment_form: string; shipping_details: string }>('SELECT payment_form, shipping_details FROM wrap_ups WHERE call_id = $1', [callId]);
    expect(saved.rows[0]).toEqual({ payment_form: 'bank_transfer', shipping_details: 'Tver, Zavodskaya 4, gate 2; by truck' });

    const ion = await openPage(browser, { viewport: { width: 1400, height: 1000 } });
    try {
      await signIn(ion.page, h.baseUrl, 'softphone', 'ion', 'demo-pass-1');
      const panel = ion.page.getByTestId('seed-workflows');
      await panel.getByTestId('notifications').getByText('Order from Tver Wholesale Base taken by Olga Smirnova').waitFor();
      await panel.getByRole('tab', { name: 'My clients\' orders' }).click();
      const row = panel.getByTestId('client-orders').getByRole('row', { name: /TV-2001/ });
      await row.getByText('Bank transfer · 2099-03-02 · Tver, Zavodskaya 4, gate 2; by truck').waitFor();
      await ion.screenshot('softphone-manager-client-orders');
      expect(ion.errors).toEqual([]);
    } finally {
      await ion.close();
    }
    expect(olga.errors).toEqual([]);
  }, 90_000);
});
