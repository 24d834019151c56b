import type { Browser } from 'playwright-core';
import { findTrunkIdentity } from '../../../src/db/repositories/outbound-rules-repository';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { launchChromium, openPage, type WatchedPage } from '../../helpers/browser';
import { eventually } from '../../helpers/eventually';
import { releaseInOrder } from '../../helpers/release';
import { signInAdminAt } from './admin-config-helpers';

// Issue 17: the trunk's caller ID, the do-not-call list and a client's time zone are kept on admin screens.
describe('admin outbound calling: trunk caller ID, do-not-call list, client time zone (Chromium)', () => {
  let harness: ApiHarness;
  let browser: Browser;
  let watched: WatchedPage;

  beforeAll(async () => {
    harness = await startApiHarness({ demo: true, env: { SIP_TRUNKS: '127.0.0.5:5090' } });
    browser = await launchChromium();
    watched = await openPage(browser, { ignoreErrors: [/status of 400/] });
    await signInAdminAt(watched.page, harness.baseUrl, '#/outbound', 'admin', 'admin-password');
  });
  afterAll(() => releaseInOrder([() => watched?.close(), () => browser?.close(), () => harness?.close()]), 100_000);

  it('sets the trunk\'s number, name and privacy; a bad number is named under its field', async () => {
    const { page } = watched;
    const form = page.getByRole('form', { name: '127.0.0.5:5090' });
    await form.getByText('Calls go out as switchboard@switchboard.invalid until a number is set.').waitFor();
    await form.getByLabel('Number shown (From)').fill('12');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').first().waitFor();
    await form.getByLabel('Number shown (From)').fill('8 (495) 700-11-22');
    await form.getByLabel('Display name').fill('Acme Sales');
    await form.getByLabel('Privacy').selectOption('id');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved caller ID of 127.0.0.5:5090.').waitFor();
    await expect(eventually(() => findTrunkIdentity(harness.db, '127.0.0.5:5090'), (i) => i !== null, 5000, 100))
      .resolves.toEqual({ fromNumber: '+74957001122', displayName: 'Acme Sales', assertedNumber: null, privacy: 'id' });
  });

  it('puts pasted numbers on the do-not-call list with a reason and takes one off', async () => {
    const { page } = watched;
    const add = page.getByRole('form', { name: 'Add to the list' });
    await add.getByLabel('Numbers (one per line, or a pasted list)').fill('8 495 100-00-01\n+7 495 100 00 02');
    await add.getByLabel('Reason').fill('asked not to be called');
    await add.getByRole('button', { name: 'Add to the list' }).click();
    await page.getByText('2 number(s) added.').waitFor();
    const table = page.getByRole('table', { name: 'Do-not-call list' });
    await table.getByText('+74951000002').waitFor();
    await expect(table.getByText('asked not to be called').count()).resolves.toBe(2);
    await watched.screenshot('admin-outbound-calling');
    await table.getByRole('row', { name: /\+74951000002/ }).getByRole('button', { name: 'Take off' }).click();
    await page.getByText('1 number(s) on the list').waitFor();
    const listed = (await harness.db.query<{ e164: string }>('SELECT e164 FROM do_not_call ORDER BY e164')).rows.map((r) => r.e164);
    expect(listed).toEqual(['+74951000001']);
  });

  it('the client card shows the zones a number implies and saves a time zone', async () => {
    const { page } = watched;
    // The demo card carries Europe/Moscow; without a zone the card says which zones its number implies.
    await harness.db.query("UPDATE clients SET time_zone = NULL WHERE name = 'Prodtorg LLC'");
    await page.evaluate(() => {
      window.location.hash = '#/directory/clients';
    });
    await page.getByRole('button', { name: 'Prodtorg LLC' }).click();
    const drawer = page.getByRole('dialog', { name: 'Edit Prodtorg LLC' });
    const zone = drawer.getByRole('form', { name: 'Time zone (calling window)' });
    await zone.getByText(/any of \d+ zones of the number's country/).waitFor();
    await zone.getByLabel(/Time zone \(IANA/).fill('Asia/Vladivostok');
    await zone.getByRole('button', { name: 'Save time zone' }).click();
    await zone.getByText('Campaigns and callbacks call inside the window in: Asia/Vladivostok').waitFor();
    await watched.screenshot('admin-client-time-zone');
    expect((await harness.db.query("SELECT time_zone FROM clients WHERE name = 'Prodtorg LLC'")).rows[0]).toEqual({ time_zone: 'Asia/Vladivostok' });
    expect(watched.errors).toEqual([]);
  });
});
