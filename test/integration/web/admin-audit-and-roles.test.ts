import { eventually } from '../../helpers/eventually';
import { openPage } from '../../helpers/browser';
import { signInAdminAt } from './admin-config-helpers';
import { useApiAndChromium } from './browser-fixture';

const CONFIG_PAGE_LABELS = ['IVR editor', 'Routing editor', 'Directory', 'Audit log'];

// Issue 7: the audit log shows who changed what with its diff; the configuration screens and their APIs are for admins only.
describe('admin audit log and role enforcement (Chromium)', () => {
  const web = useApiAndChromium();

  it('shows a client change in the audit log with its before/after diff highlighted', async () => {
    const clients = await web.harness.call('GET', `/api/clients?q=${encodeURIComponent('Ugolok')}`, { token: web.harness.tokens.admin });
    const ugolok = clients.body[0];
    const changed = await web.harness.call('PATCH', `/api/clients/${ugolok.id}`, { token: web.harness.tokens.admin, body: { creditLimit: 150000, notes: 'Limit raised after the November review.' } });
    expect(changed.status).toBe(200);

    const watched = await openPage(web.browser);
    try {
      const { page } = watched;
      await signInAdminAt(page, web.harness.baseUrl, '#/audit', 'admin', 'admin-password');
      const entry = page.locator('tr.audit-entry').filter({ hasText: `client ${ugolok.id}` }).first();
      await expect(entry.textContent()).resolves.toMatch(/admin.*changed.*client/);
      await entry.getByRole('button', { name: /Show diff/ }).click();
      const diff = page.getByLabel(/Changes of entry/);
      const limit = diff.locator('tr', { hasText: 'creditLimit' });
      await expect(limit.getAttribute('class')).resolves.toBe('diff-changed');
      await expect(limit.locator('.diff-before').textContent()).resolves.toBe('100000');
      await expect(limit.locator('.diff-after').textContent()).resolves.toBe('150000');
      await expect(diff.locator('tr', { hasText: 'notes' }).locator('.diff-after').textContent()).resolves.toBe('Limit raised after the November review.');
      // Bookkeeping (updatedAt) is not shown as a change.
      await expect(diff.locator('tr', { hasText: 'updatedAt' }).count()).resolves.toBe(0);
      await watched.screenshot('admin-audit');

      // Filtering by what changed keeps the client entries only.
      await page.getByLabel('What').selectOption('client');
      // The filtered list, not the one shown before it nor the loading state between them.
      const kinds = await eventually(() => page.locator('tr.audit-entry td:nth-child(4)').allTextContents(), (k) => k.length > 0 && k.every((x) => x.startsWith('client')), 20_000);
      expect(kinds.length).toBeGreaterThan(0);
      expect(kinds.every((k) => k.startsWith('client'))).toBe(true);
      await expect(page.getByLabel(/Changes of entry/).locator('tr', { hasText: 'creditLimit' }).count()).resolves.toBe(1);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('keeps an operator out of the admin pages and the admin APIs', async () => {
    const watched = await openPage(web.browser);
    try {
      await signInAdminAt(watched.page, web.harness.baseUrl, '#/directory', 'h_operator', 'operator-password', { expectAdmin: false });
      await expect(watched.page.getByRole('alert').textContent()).resolves.toMatch(/may not open the admin/i);
      await expect(watched.page.getByRole('link', { name: 'Directory' }).count()).resolves.toBe(0);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
    const token = web.harness.tokens.operator;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', '/api/ivr/flows/main/versions'],
      ['POST', '/api/ivr/flows/main/versions', { document: {} }],
      ['POST', '/api/ivr/simulate', { callerNumber: '+74951000001' }],
      ['GET', '/api/routing-config/published'],
      ['POST', '/api/routing-config/rollback', { version: 1 }],
      ['POST', '/api/staff', { fullName: 'Intruder', role: 'admin' }],
      ['PATCH', '/api/staff/1', { sipPassword: 'stolen-password' }],
      ['POST', '/api/queues', { name: 'mine', label: 'Mine' }],
      ['GET', '/api/audit'],
    ];
    for (const [method, path, body] of attempts) {
      const result = await web.harness.call(method, path, { token, body });
      expect([method, path, result.status]).toEqual([method, path, 403]);
    }
  });

  it('shows a supervisor the supervisor pages but not the configuration pages, and refuses their config changes', async () => {
    const watched = await openPage(web.browser);
    try {
      const { page } = watched;
      await signInAdminAt(page, web.harness.baseUrl, '#/ivr', 'h_supervisor', 'supervisor-password');
      const nav = page.getByRole('navigation', { name: 'Main menu' });
      await expect(nav.getByRole('link').count()).resolves.toBeGreaterThan(0);
      for (const label of CONFIG_PAGE_LABELS) await expect(nav.getByRole('link', { name: label }).count()).resolves.toBe(0);
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(/There is no page here/);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
    const token = web.harness.tokens.supervisor;
    // Supervisors may read the configuration (and test calls), not change it.
    await expect(web.harness.call('GET', '/api/ivr/flows/main/versions', { token }).then((r) => r.status)).resolves.toBe(200);
    const published = await web.harness.call('GET', '/api/routing-config/published', { token });
    expect(published.status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/api/routing-config/versions', { document: published.body.document }],
      ['POST', '/api/ivr/flows/main/versions/1/publish', undefined],
      ['POST', '/api/staff', { fullName: 'New Hire', role: 'operator' }],
      ['POST', '/api/departments', { code: 'shadow', name: 'Shadow' }],
      ['POST', '/api/disposition-codes', { code: 'x', label: 'X' }],
    ] as Array<[string, string, unknown]>) {
      const result = await web.harness.call(method, path, { token, body });
      expect([method, path, result.status]).toEqual([method, path, 403]);
    }
  });
});
