import type { Page } from 'playwright-core';
import { wav } from '../../helpers/wav-builder';
import { useAdminPage } from './browser-fixture';

// A Wednesday, 15:00 in Moscow: inside the demo's business hours, so the main menu plays.
const OPEN_AT_LOCAL = '2026-12-02T12:00';
const OPEN_AT_ISO = new Date(OPEN_AT_LOCAL).toISOString();

async function runTestCall(page: Page, digits: string): Promise<string[]> {
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByLabel('Caller number').fill('+7 (495) 100-00-01');
  await page.getByLabel('Keys pressed').fill(digits);
  await page.getByLabel('Call time').fill(OPEN_AT_LOCAL);
  await page.getByRole('button', { name: 'Run test call' }).click();
  const path = page.getByRole('list', { name: 'Path through the flow' });
  await path.waitFor();
  return path.locator('li').allTextContents();
}

// Issue 7: an admin edits the hotline's IVR in the browser; the server's validator, simulator and versioning do the judging.
describe('admin IVR editor (Chromium)', () => {
  const web = useAdminPage('#/ivr/main/flow');

  it('shows a bad menu branch on its node, and once fixed the draft is tested, published and used by new calls', async () => {
    const { page } = web.watched;
    await page.getByRole('button', { name: 'main_menu', exact: true }).click();
    await page.getByRole('button', { name: 'Add branch' }).click();
    // The new branch takes the first free key; a typo in its target is the validator's to catch.
    const branch = page.getByLabel('Goes to (Key 6)');
    await branch.fill('route_operatr');
    const nodeIssues = page.locator('li.flow-node[data-node="main_menu"] .node-issues');
    await nodeIssues.waitFor();
    await expect(nodeIssues.textContent()).resolves.toMatch(/options\.6.*unknown node 'route_operatr'/);
    await expect(page.getByRole('alert', { name: 'Problems on this node' }).textContent()).resolves.toMatch(/unknown node 'route_operatr'/);
    await expect(page.locator('.workflow-status').textContent()).resolves.toMatch(/1 problem/);

    await branch.fill('route_operator');
    await page.locator('.workflow-status', { hasText: 'valid' }).waitFor();
    await expect(nodeIssues.count()).resolves.toBe(0);

    // Testing the unsaved edit saves it as a draft first and runs that draft.
    const draftPath = await runTestCall(page, '6');
    expect(draftPath).toEqual(['greeting', 'hours', 'main_menu', 'route_operator']);
    await expect(page.locator('.decision-reason').textContent()).resolves.toMatch(/operator request/);
    await expect(page.locator('.decision-target').textContent()).resolves.toMatch(/queue operators/);
    await expect(page.getByText('Editing main · draft v2').count()).resolves.toBe(1);
    // The path of the test call is highlighted in the outline.
    await page.getByRole('button', { name: 'main_menu', exact: true }).click();
    await page.getByRole('tab', { name: 'Flow' }).click();
    await expect(page.locator('li.flow-node.on-path').count()).resolves.toBeGreaterThanOrEqual(4);
    await page.evaluate(() => window.scrollTo(0, 0));
    await web.watched.screenshot('admin-ivr-editor');

    // Nothing is live until it is published.
    const before = await web.harness.call('POST', '/api/ivr/simulate', { token: web.harness.tokens.admin, body: { callerNumber: '+74951000001', digits: '6t', at: OPEN_AT_ISO } });
    expect(before.body.path.slice(0, 4)).toEqual(['greeting', 'hours', 'main_menu', 'invalid_choice']);

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published v2: new calls use it now.').waitFor();
    const published = await web.harness.call('GET', '/api/ivr/flows/main/published', { token: web.harness.tokens.admin });
    expect(published.body.version).toBe(2);
    expect(published.body.document.nodes.main_menu.options['6']).toBe('route_operator');
    const after = await web.harness.call('POST', '/api/ivr/simulate', { token: web.harness.tokens.admin, body: { callerNumber: '+74951000001', digits: '6', at: OPEN_AT_ISO } });
    expect(after.status).toBe(200);
    expect(after.body.flow.version).toBe(2);
    expect(after.body.path).toEqual(['greeting', 'hours', 'main_menu', 'route_operator']);
    expect(after.body.decision.target).toMatchObject({ kind: 'queue', queue: 'operators' });

    // A new test call in the page now runs the published version.
    await expect(runTestCall(page, '6')).resolves.toEqual(['greeting', 'hours', 'main_menu', 'route_operator']);
    await expect(page.getByText(/IVR flow main v2, routing v1/).count()).resolves.toBe(1);
    expect(web.watched.errors).toEqual([]);
  });

  it('compares two versions as a readable diff and rolls back to the first', async () => {
    const { page } = web.watched;
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByLabel('Older version').selectOption('1');
    await page.getByLabel('Newer version').selectOption('2');
    await page.getByRole('button', { name: 'Show differences' }).click();
    const row = page.locator('.diff-table tr', { hasText: 'nodes.main_menu.options.6' });
    await expect(row.locator('.diff-before').textContent()).resolves.toBe('');
    await expect(row.locator('td', { hasText: 'added' }).count()).resolves.toBe(1);
    await expect(row.locator('.diff-after').textContent()).resolves.toBe('route_operator');
    await expect(page.locator('.diff-table tbody tr').count()).resolves.toBe(1);

    await page.getByRole('button', { name: 'Roll back to this v1' }).click();
    await page.getByText('Editing main · published v3').waitFor();
    const published = await web.harness.call('GET', '/api/ivr/flows/main/published', { token: web.harness.tokens.admin });
    expect(published.body.version).toBe(3);
    expect(published.body.document.nodes.main_menu.options['6']).toBeUndefined();
    expect(web.watched.errors).toEqual([]);
  });

  it('plays a prompt in the browser after uploading a recording for it', async () => {
    const { page } = web.watched;
    await page.getByRole('tab', { name: 'Flow' }).click();
    await page.getByRole('button', { name: 'greeting', exact: true }).first().click();
    await page.getByLabel('Upload recording greeting (en)').first().setInputFiles({ name: 'greeting-en.wav', mimeType: 'audio/wav', buffer: wav({ frames: 8000 }) });
    // The greeting is also the first of its variants (issue 17): both of its players show the upload.
    await page.locator('.node-editor .prompt-player', { hasText: 'uploaded' }).first().waitFor();
    const prompts = await web.harness.call('GET', '/api/prompts', { token: web.harness.tokens.admin });
    expect(prompts.body.find((p: { id: string; language: string }) => p.id === 'greeting' && p.language === 'en')).toMatchObject({ source: 'upload', durationMs: 1000 });

    await page.getByRole('button', { name: 'Play greeting (en)' }).first().click();
    // The one-second recording plays to its end, and the button offers to play it again.
    await page.getByRole('button', { name: 'Play greeting (en)' }).first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.node-editor button[aria-label^="Stop greeting (en)"]'), undefined, { timeout: 10000 });
    expect(web.watched.errors).toEqual([]);
  });

  it('"call it" explains that an admin account without a staff member has no softphone to call the draft from, and opens nothing', async () => {
    const { page } = web.watched;
    const pagesBefore = page.context().pages().length;
    await page.getByRole('button', { name: /Call it from my softphone/ }).click();
    await expect(page.getByRole('dialog', { name: 'Calling the draft' }).textContent()).resolves.toMatch(/not linked to a staff member.*PATCH \/api\/users\/\d+/);
    expect(page.context().pages()).toHaveLength(pagesBefore);
    expect(web.watched.errors).toEqual([]);
  });
});
