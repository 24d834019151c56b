import { useAdminPage } from './browser-fixture';

// Issue 7: the routing rules in the browser; the server's validator refuses what would loop, publishing is the only way live.
describe('admin routing editor (Chromium)', () => {
  const web = useAdminPage('#/routing/rules', { ignoreErrors: [/status of 400/] });

  it('refuses a fallback chain that loops: the error shows on the rule and nothing is published', async () => {
    const { page } = web.watched;
    await page.getByRole('button', { name: 'Edit regional_client' }).click();
    const rule = page.locator('article[data-rule="regional_client"]');
    const fallbackStep = rule.locator('.chain-step', { hasText: 'Then 1' });
    await expect(fallbackStep.getByLabel('Queue', { exact: true }).inputValue()).resolves.toBe('operators');
    await fallbackStep.getByLabel('Queue', { exact: true }).selectOption('regional');

    const issues = rule.locator('.rule-issues');
    await issues.waitFor();
    await expect(issues.textContent()).resolves.toMatch(/target\.fallback\[0\].*fallback chain loops back to queue 'regional'/);
    await expect(rule.getByRole('alert').filter({ hasText: 'loops back' }).count()).resolves.toBeGreaterThanOrEqual(1);
    await expect(page.getByRole('tab', { name: 'Rules (1)' }).count()).resolves.toBe(1);
    await page.locator('article[data-rule="key_client"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await web.watched.screenshot('admin-routing-editor');

    await page.getByRole('button', { name: 'Publish' }).click();
    const banner = page.locator('.workflow .banner.error');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toMatch(/routing config is invalid: rules\[\d+\]\.target\.fallback\[0\]: fallback chain loops back to queue 'regional'/);

    const versions = await web.harness.call('GET', '/api/routing-config/versions', { token: web.harness.tokens.admin });
    expect(versions.body.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'published']]);
    const published = await web.harness.call('GET', '/api/routing-config/published', { token: web.harness.tokens.admin });
    const regional = published.body.document.rules.find((r: { id: string }) => r.id === 'regional_client');
    expect(regional.target.fallback).toEqual([{ kind: 'queue', queue: 'operators', requiredSkills: { regional: 1 } }]);
    expect(web.watched.errors).toEqual([]);
  });

  it('publishes a holiday from the business-hours form, and a call on that day gets the after-hours answer', async () => {
    const { page } = web.watched;
    await page.getByRole('button', { name: 'Close regional_client' }).click();
    // Put the chain back first: the working copy must be valid to publish.
    await page.getByRole('button', { name: 'Edit regional_client' }).click();
    await page.locator('article[data-rule="regional_client"] .chain-step', { hasText: 'Then 1' }).getByLabel('Queue', { exact: true }).selectOption('operators');
    await page.locator('.workflow-status', { hasText: 'valid' }).waitFor();

    await page.getByRole('tab', { name: /Business hours/ }).click();
    await page.getByRole('button', { name: 'Add holiday' }).click();
    const rows = page.locator('section[aria-label="Business hours"] fieldset').nth(1).locator('tbody tr');
    const last = rows.last();
    await last.locator('input[type="date"]').fill('2026-12-02');
    await last.locator('input:not([type])').fill('Staff training day');
    await page.locator('.workflow-status', { hasText: 'valid' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published v2: new calls use it now.').waitFor();

    const published = await web.harness.call('GET', '/api/routing-config/published', { token: web.harness.tokens.admin });
    expect(published.body.version).toBe(2);
    expect(published.body.document.businessHours.holidays).toContainEqual({ date: '2026-12-02', name: 'Staff training day' });
    // 12:00 UTC on that Wednesday would be open hours in Moscow, but it is now a holiday.
    const call = await web.harness.call('POST', '/api/ivr/simulate', { token: web.harness.tokens.admin, body: { callerNumber: '+74951000001', at: '2026-12-02T09:00:00.000Z', digits: 't' } });
    expect(call.status).toBe(200);
    expect(call.body.path).toContain('after_hours');
    expect(call.body.routing.version).toBe(2);
    expect(web.watched.errors).toEqual([]);
  });
});
