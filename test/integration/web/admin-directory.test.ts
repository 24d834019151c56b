import { eventually, quietPeriod } from '../../helpers/eventually';
import { useAdminPage } from './browser-fixture';

// Issue 7: the directory screens — staff with SIP credentials, clients found by any phone format, CSV import with its report.
describe('admin directory (Chromium)', () => {
  // The refused first attempt is a 400 the page shows on its field.
  const web = useAdminPage('#/directory/staff', { ignoreErrors: [/status of 400/] });

  it('creates a staff member (the server’s field errors shown on the field) and resets their SIP credentials', async () => {
    const { page } = web.watched;
    await page.getByRole('button', { name: 'New staff member' }).click();
    const drawer = page.getByRole('dialog', { name: 'New staff member' });
    await drawer.getByLabel('Full name').fill('Nina Fedorova');
    await drawer.getByLabel('Role').selectOption('operator');
    await drawer.getByLabel('Department').selectOption({ label: 'Wholesale sales' });
    await drawer.getByLabel('Skills').fill('orders:2');
    await drawer.getByLabel('Languages').fill('ru, en');
    await drawer.getByLabel('SIP user').fill('n');
    await drawer.getByLabel('Operators (orders and enquiries)').check();
    await drawer.getByRole('button', { name: 'Create' }).click();
    await expect(drawer.locator('.field.has-error', { has: page.getByLabel('SIP user') }).locator('.field-error').textContent()).resolves.toMatch(/must match pattern/);
    await expect(drawer.getByLabel('SIP user').getAttribute('aria-invalid')).resolves.toBe('true');

    await drawer.getByLabel('SIP user').fill('nina');
    await drawer.getByRole('button', { name: 'Create' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Nina Fedorova' });
    await edit.waitFor();
    await expect(page.getByRole('row', { name: /Nina Fedorova/ }).textContent()).resolves.toMatch(/operator.*Wholesale sales.*orders:2.*ru, en.*nina.*not set.*operators/);

    const list = await web.harness.call('GET', '/api/staff?limit=1000', { token: web.harness.tokens.admin });
    const nina = list.body.find((s: { fullName: string }) => s.fullName === 'Nina Fedorova');
    const operatorsQueue = (await web.harness.call('GET', '/api/queues', { token: web.harness.tokens.admin })).body.find((q: { name: string }) => q.name === 'operators');
    expect(nina).toMatchObject({ role: 'operator', sipUsername: 'nina', hasSipCredentials: false, skills: { orders: 2 }, languages: ['ru', 'en'], queueIds: [operatorsQueue.id] });

    await edit.getByRole('button', { name: 'Reset SIP credentials' }).click();
    const secret = edit.getByLabel('SIP password');
    await secret.waitFor();
    const password = (await secret.textContent()) ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    await expect(edit.getByRole('status').textContent()).resolves.toMatch(/New SIP password for nina/);
    const after = await web.harness.call('GET', `/api/staff/${nina.id}`, { token: web.harness.tokens.admin });
    expect(after.body.hasSipCredentials).toBe(true);
    // The list reloads after the reset: wait for the row to say so (it says "not set" until then).
    const row = await eventually(() => page.getByRole('row', { name: /Nina Fedorova/ }).textContent(), (text) => /nina\s*set/.test(text ?? ''), 20_000);
    expect(row).toMatch(/nina\s*set/);
    await web.watched.screenshot('admin-directory-staff');
    expect(web.watched.errors).toEqual([]);
  });

  it('finds a client by a differently written phone number, and by part of the name', async () => {
    const { page } = web.watched;
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('tab', { name: 'Clients' }).click();
    const table = page.getByRole('table', { name: 'Clients' });
    await table.getByRole('cell', { name: 'Tver Wholesale Base' }).waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(9);
    // Searches answer slowly, as on a busy fresh machine: the table shows its "Loading…" row meanwhile,
    // and the test must wait for the result, not count whatever rows are there.
    await page.route('**/api/clients?*', async (route) => {
      await quietPeriod(400, 'a slow search, as on a busy machine');
      await route.continue();
    });

    // Stored as "+7 (495) 100-00-02"; typed the way a Russian caller would say it.
    await page.getByLabel('Search by name or phone (any format)').fill('8 495 1000002');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    // The table goes from the whole list (Prodtorg among them) to one "Loading…" row to the result:
    // wait for the result itself, one row and that row Prodtorg's.
    const rowTexts = (): Promise<string[]> => table.locator('tbody tr').allTextContents();
    const found = await eventually(rowTexts, (rows) => rows.length === 1 && rows[0]!.includes('Prodtorg LLC'), 20_000);
    expect(found[0]).toMatch(/Prodtorg LLC.*Pavel Orlov.*\+74951000002/);

    await page.getByLabel('Search by name or phone (any format)').fill('grocery');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const byName = await eventually(rowTexts, (rows) => rows.length === 1 && rows[0]!.includes('Ugolok grocery'), 20_000);
    expect(byName).toHaveLength(1);
    await page.unroute('**/api/clients?*');
    expect(web.watched.errors).toEqual([]);
  });

  it('imports clients from CSV and reports the bad line by number; the good ones are searchable at once', async () => {
    const { page } = web.watched;
    const csv = [
      'name,type,phones,manager,region,language',
      'Lipetsk Grain Trade,regional,+7 (4742) 55-10-01,ion,Lipetsk,ru',
      'Stall 77 at Danilovsky,market,8 495 555 77 77,anna,Moscow,ru',
      'Mystery Buyer,wholesale_giant,+7 495 555 00 99,,Moscow,ru',
    ].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const report = page.getByRole('region', { name: 'Import report' });
    await report.waitFor();
    await expect(report.locator('.counts').textContent()).resolves.toMatch(/2\s*imported.*1\s*failed/);
    await expect(report.getByRole('row').filter({ hasText: 'wholesale_giant' }).textContent()).resolves.toMatch(/^4.*unknown client type "wholesale_giant"/);

    const found = await web.harness.call('GET', `/api/clients?phone=${encodeURIComponent('+74955557777')}`, { token: web.harness.tokens.admin });
    expect(found.body.map((c: { name: string }) => c.name)).toEqual(['Stall 77 at Danilovsky']);
    await page.getByLabel('Search by name or phone (any format)').fill('+7 495 555-77-77');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('cell', { name: 'Stall 77 at Danilovsky' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await web.watched.screenshot('admin-clients');
    expect(web.watched.errors).toEqual([]);
  });

  it('sets a queue\'s wallboard targets (service-level target, long-wait alert); an impossible target is stopped on its field', async () => {
    const { page } = web.watched;
    await page.goto(`${web.harness.baseUrl}/admin/#/directory/queues`);
    await page.getByRole('button', { name: 'Finance service' }).click();
    const drawer = page.getByRole('dialog', { name: 'Edit Finance service' });
    await expect(drawer.getByLabel('Service level target (%)').inputValue()).resolves.toBe('90');
    await drawer.getByLabel('Service level target (%)').fill('100');
    // The browser itself stops an unreachable target (the API refuses it too: test/integration/api/directory.test.ts).
    await drawer.getByRole('button', { name: 'Save' }).click();
    await expect(drawer.getByLabel('Service level target (%)').evaluate((input: HTMLInputElement) => input.validity.rangeOverflow)).resolves.toBe(true);
    await expect(drawer.getByLabel('Service level target (%)').inputValue()).resolves.toBe('100');
    await drawer.getByLabel('Service level target (%)').fill('85');
    await drawer.getByLabel('Long-wait alert (s)').fill('45');
    await drawer.getByRole('button', { name: 'Save' }).click();
    const finance = async (): Promise<{ serviceLevelTargetPercent: number; longWaitAlertSeconds: number | null } | undefined> =>
      ((await web.harness.call('GET', '/api/queues', { token: web.harness.tokens.admin })).body as Array<{ name: string; serviceLevelTargetPercent: number; longWaitAlertSeconds: number | null }>).find((q) => q.name === 'finance');
    await expect(eventually(finance, (q) => q?.serviceLevelTargetPercent === 85, 5000, 100)).resolves.toMatchObject({ serviceLevelTargetPercent: 85, longWaitAlertSeconds: 45 });
    await web.watched.screenshot('admin-queue-targets');
    expect(web.watched.errors).toEqual([]);
  });
});
