import { useAdminPage } from './browser-fixture';

// A Wednesday, 15:00 in Moscow: inside the demo's business hours.
const OPEN_AT_LOCAL = '2026-12-02T12:00';

// Issue 17: greetings that do not tire regular callers — an admin edits a play node's variants in the browser.
describe('admin IVR editor: greeting variants (Chromium)', () => {
  const web = useAdminPage('#/ivr/main/flow');

  it("shows the demo greeting's rotation, refuses a variant that is no prompt by name, and publishes a random choice", async () => {
    const { page } = web.watched;
    await page.getByRole('button', { name: 'greeting', exact: true }).first().click();
    const variants = page.getByRole('group', { name: /^Variants/ });
    await variants.waitFor();
    // The demo rotates the plain greeting and four more (two by department heads, two by operators).
    await expect(variants.getByLabel(/^Variant \d+$/).evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).resolves.toEqual([
      'greeting', 'greeting_head_wholesale', 'greeting_head_retail', 'greeting_operator_day', 'greeting_operator_news',
    ]);
    await expect(variants.getByLabel('Chosen per call').inputValue()).resolves.toBe('rotation');

    await variants.getByRole('button', { name: 'Add variant' }).click();
    await variants.getByLabel('Variant 6', { exact: true }).fill('greeting_ceo');
    const nodeAlert = page.getByRole('alert', { name: 'Problems on this node' });
    await nodeAlert.waitFor();
    await expect(nodeAlert.textContent()).resolves.toMatch(/variants\[5\].*unknown prompt 'greeting_ceo': a variant must be a prompt of the catalogue/);
    await expect(page.locator('.workflow-status').textContent()).resolves.toMatch(/1 problem/);
    await variants.locator('.variant').nth(5).scrollIntoViewIfNeeded();
    await web.watched.screenshot('admin-ivr-variants');

    await variants.getByRole('button', { name: 'Remove variant 6' }).click();
    await variants.getByLabel('Chosen per call').selectOption('random');
    await page.locator('.workflow-status', { hasText: 'valid' }).waitFor();
    // Testing saves the draft; publishing makes new calls draw a greeting at random.
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByLabel('Caller number').fill('+7 (495) 100-00-01');
    await page.getByLabel('Keys pressed').fill('0');
    await page.getByLabel('Call time').fill(OPEN_AT_LOCAL);
    await page.getByRole('button', { name: 'Run test call' }).click();
    await page.getByRole('list', { name: 'Path through the flow' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/Published v\d+: new calls use it now\./).waitFor();
    const published = await web.harness.call('GET', '/api/ivr/flows/main/published', { token: web.harness.tokens.admin });
    expect(published.body.document.nodes.greeting).toMatchObject({ variantChoice: 'random', variants: ['greeting', 'greeting_head_wholesale', 'greeting_head_retail', 'greeting_operator_day', 'greeting_operator_news'] });
    expect(web.watched.errors).toEqual([]);
  });
});
