import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { encodeStereoWav } from '../../../src/media/wav-writer';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { launchChromium, openPage, signIn, type WatchedPage } from '../../helpers/browser';
import { expectSoon } from '../../helpers/eventually';
import { releaseInOrder } from '../../helpers/release';
import { signInAdminAt } from './admin-config-helpers';

/*
 * Issue 18 point 4 in Chromium against the real API and Postgres: a quality
 * reviewer finds a complaint call, listens, comments at a moment of it,
 * scores it on the demo form and sees the server's total; an admin changes a
 * form's weights and publishes; the agent reads and acknowledges the
 * evaluation in the softphone; the report shows the agent's week.
 *
 * The demo form 'standard' v1 (weights 10, 20, 20, 20, 15, 10, 5; pass mark 80):
 * scored 4/5, 5/5, 3/5, 5/5, 4/5, 5/5, 1/1 it is
 *   (10·0.8 + 20 + 20·0.6 + 20 + 15·0.8 + 10 + 5) / 100 = 87 / 100 = 87.0 % → passed.
 */
const SCORES: ReadonlyArray<[label: string, score: number]> = [
  ['Greeting', 4], ['Needs identified', 5], ['Product knowledge', 3], ['Correct order entry', 5], ['Politeness', 4], ['Closing', 5], ['No rudeness', 1],
];
const RECORDING_SECONDS = 4;

describe('quality evaluation screens (Chromium)', () => {
  let h: ApiHarness;
  let browser: Browser;
  let dir: string;
  let reviewer: WatchedPage | undefined;
  const complaintCall = randomUUID();
  const orderCall = randomUUID();
  let annaId = 0;

  /** An answered call of Anna's with a stereo recording (caller 440 Hz left, Anna 660 Hz right). */
  async function insertRecordedCall(id: string, disposition: string, startedAt: Date): Promise<void> {
    await h.db.query(
      `INSERT INTO calls (id, direction, caller_number, caller_e164, started_at, answered_at, agent_answered_at, ended_at, queue_name, agent_id, agent_ids,
                          talk_ms, hold_ms, outcome, hangup_side, disposition_code)
       VALUES ($1, 'inbound', '+74951000001', '+74951000001', $2, $2, $2, $2::timestamptz + interval '95 seconds', 'operators', $3, $4, 95000, 0, 'answered', 'caller', $5)`,
      [id, startedAt, annaId, [annaId], disposition],
    );
    const frames = RECORDING_SECONDS * 8000;
    const tone = (hz: number): Int16Array => Int16Array.from({ length: frames }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000)));
    const file = path.join(dir, `${id}.wav`);
    const audio = encodeStereoWav(tone(440), tone(660), 8000);
    writeFileSync(file, audio);
    const recordingId = randomUUID();
    await h.db.query(
      "INSERT INTO recordings (id, call_id, file_path, format, channels, sample_rate, duration_ms, size_bytes) VALUES ($1, $2, $3, 'wav', 2, 8000, $4, $5)",
      [recordingId, id, file, RECORDING_SECONDS * 1000, audio.length],
    );
    await h.db.query('UPDATE calls SET recording_id = $1 WHERE id = $2', [recordingId, id]);
  }

  beforeAll(async () => {
    // The ACD for the softphone's agent state; no SIP: nothing here rings.
    h = await startApiHarness({ demo: true, acd: true, components: () => [{ name: 'sip', state: 'disabled', required: false }] });
    browser = await launchChromium();
    dir = mkdtempSync(path.join(os.tmpdir(), 'quality-web-'));
    annaId = (await h.db.query<{ id: number }>("SELECT id FROM staff WHERE full_name = 'Anna Petrova'")).rows[0]!.id;
    await insertRecordedCall(complaintCall, 'complaint', new Date(Date.now() - 3_600_000));
    await insertRecordedCall(orderCall, 'order_taken', new Date(Date.now() - 7_200_000));
  }, 120_000);

  afterAll(() => releaseInOrder([() => reviewer?.close(), () => browser?.close(), () => h?.close(), () => rmSync(dir, { recursive: true, force: true })]), 100_000);

  /** Where the player's play head is, in whole seconds, as the waveform tells assistive technology. */
  function waveformAt(page: Page): Promise<string | null> {
    return page.getByRole('slider', { name: /Waveform/ }).getAttribute('aria-valuenow');
  }

  it('a quality reviewer filters complaints, listens, comments at a moment, scores and sees the total the server computed', async () => {
    reviewer = await openPage(browser, { viewport: { width: 1440, height: 1000 } });
    const { page } = reviewer;
    await signInAdminAt(page, h.baseUrl, '#/quality-evaluate', 'h_quality', 'quality-password');
    const menu = page.getByRole('navigation', { name: 'Main menu' });
    await menu.getByRole('link', { name: 'Evaluate calls' }).waitFor();
    // The quality role has the three quality screens, and not the call log or the admins' editors.
    const links = await menu.getByRole('link').allTextContents();
    expect(links.filter((l) => /Evaluate calls|Quality results|Evaluation forms|Call log|IVR editor|Directory/.test(l))).toEqual(['Evaluate calls', 'Quality results', 'Evaluation forms']);
    await page.getByRole('heading', { level: 1, name: 'Evaluate calls' }).waitFor();

    await page.getByLabel('Tag (disposition or wrap-up tag, e.g. complaint)').fill('complaint');
    await page.getByLabel('Not yet evaluated').check();
    await page.getByRole('button', { name: 'Show calls' }).click();
    // The list says which filters its calls are for: wait for the answer to these.
    const shown = (filters: string): Promise<void> => page.locator(`section[data-filters="${filters}"]`).waitFor();
    await shown('tag=complaint&notEvaluated=1');
    const row = page.locator(`tr[data-call="${complaintCall}"]`);
    await row.waitFor();
    await expect(row.locator('td[data-field="agent"]').textContent()).resolves.toBe('Anna Petrova');
    await expect(row.textContent()).resolves.toMatch(/operators.*Anna Petrova.*1:35.*complaint/);
    // The order call of the same agent is not a complaint: the tag filter left it out.
    await expect(page.locator(`tr[data-call="${orderCall}"]`).count()).resolves.toBe(0);
    // The agent filter offers the agents of the calls shown (the quality role does not read the staff list).
    await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'Anna Petrova' });
    await page.getByLabel('Talk at least (s)').fill('60');
    await page.getByRole('button', { name: 'Show calls' }).click();
    await shown(`agentId=${annaId}&tag=complaint&minSeconds=60&notEvaluated=1`);
    await row.waitFor();
    await expect(page.getByTestId('call-count').textContent()).resolves.toBe('calls shown: 1');
    await reviewer.screenshot('quality-call-picker');

    await row.getByRole('link', { name: 'Evaluate' }).click();
    await page.getByRole('heading', { level: 1, name: 'Evaluate the call from +74951000001' }).waitFor();
    const waveform = page.getByRole('slider', { name: /Waveform/ });
    await page.locator('canvas.waveform[data-decoded="true"]').waitFor();
    // Play it: the play head moves on from the start as the audio is heard.
    await waveform.focus();
    await page.keyboard.press(' ');
    await page.waitForFunction(() => (document.querySelector<HTMLAudioElement>('.recording-player audio')?.currentTime ?? 0) > 0.3);
    await page.evaluate(() => document.querySelector<HTMLAudioElement>('.recording-player audio')?.pause());
    // The middle of the waveform is 0:02 of the 4-second recording: the comment goes there.
    await waveform.click();
    await page.getByRole('button', { name: 'Comment at 0:02' }).waitFor();
    await page.getByLabel('Comment', { exact: true }).fill('Client raises the complaint; agent stays calm');
    await page.getByRole('button', { name: 'Comment at 0:02' }).click();
    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByText('Client raises the complaint; agent stays calm').waitFor();
    // Back to the start, then the comment's time plays from where it was made.
    await waveform.press('Home');
    await expectSoon(() => waveformAt(page), '0');
    await comments.getByRole('button', { name: 'Play from 0:02' }).click();
    await expectSoon(() => waveformAt(page), '2');

    for (const [label, score] of SCORES) await page.getByRole('radiogroup', { name: label }).getByLabel(String(score), { exact: true }).check();
    await expect(page.getByTestId('score-preview').textContent()).resolves.toMatch(/Preview: 87\.0 %/);
    await page.getByLabel('Note on Product knowledge').fill('Quoted last month\'s price');
    await page.getByRole('textbox', { name: 'Summary' }).fill('Handled the complaint well; check prices before quoting.');
    await page.getByRole('button', { name: 'Save evaluation' }).click();

    const result = page.getByRole('status').filter({ hasText: 'Total' });
    await result.getByRole('heading', { name: 'Total 87.0 %' }).waitFor();
    await result.getByText('Passed', { exact: true }).waitFor();
    await expect(result.getByText('Critical criterion failed').count()).resolves.toBe(0);
    await reviewer.screenshot('quality-evaluation-saved');

    // What the page shows is what the server stored.
    const stored = await h.db.query<{ total_percent: string; passed: boolean }>('SELECT total_percent, passed FROM quality_evaluations WHERE call_id = $1', [complaintCall]);
    expect(stored.rows).toHaveLength(1);
    expect(Number(stored.rows[0]!.total_percent)).toBe(87);
    const listed = await h.call<{ items: Array<{ comments: Array<{ atSeconds: number; text: string }>; scores: Array<{ criterionId: string; note: string | null }> }> }>(
      'GET', `/api/quality/evaluations?agentId=${annaId}`, { token: h.tokens.quality });
    expect(listed.body.items[0]!.comments).toEqual([expect.objectContaining({ atSeconds: 2, text: 'Client raises the complaint; agent stays calm' })]);
    expect(listed.body.items[0]!.scores.find((s) => s.criterionId === 'product_knowledge')?.note).toBe('Quoted last month\'s price');

    // Editing it: a 0 on the critical criterion fails it whatever the total.
    await page.getByRole('radiogroup', { name: 'No rudeness' }).getByLabel('0', { exact: true }).check();
    await page.getByRole('button', { name: 'Save evaluation' }).click();
    await result.getByRole('heading', { name: 'Total 82.0 %' }).waitFor();
    await result.getByText('Failed', { exact: true }).waitFor();
    await result.getByText('Critical criterion failed').waitFor();
    await page.getByRole('radiogroup', { name: 'No rudeness' }).getByLabel('1', { exact: true }).check();
    await page.getByRole('button', { name: 'Save evaluation' }).click();
    await result.getByRole('heading', { name: 'Total 87.0 %' }).waitFor();
    await expect(h.db.query('SELECT id FROM quality_evaluations WHERE call_id = $1', [complaintCall]).then((r) => r.rowCount)).resolves.toBe(1);

    // Evaluated now: the "not yet evaluated" list no longer offers it.
    await page.getByRole('link', { name: '← Back to the calls' }).click();
    await page.getByRole('region', { name: 'Calls' }).getByText('No recorded calls match these filters.').waitFor();
    // A random sample of one of Anna's two recorded calls, whichever it is.
    await page.getByLabel('Tag (disposition or wrap-up tag, e.g. complaint)').fill('');
    await page.getByLabel('Not yet evaluated').uncheck();
    await page.getByLabel('Random sample of').fill('1');
    await page.getByRole('button', { name: 'Show calls' }).click();
    await shown(`agentId=${annaId}&minSeconds=60&sample=1`);
    await expect(page.getByTestId('call-count').textContent()).resolves.toBe('calls shown: 1');
    await page.getByText('A random sample of 1 of the matching calls; Show calls again draws another.').waitFor();
    await expect(page.locator('tr[data-call]').getAttribute('data-call')).resolves.toMatch(new RegExp(`^(${complaintCall}|${orderCall})$`));
    expect(reviewer.errors).toEqual([]);
  });

  it('an admin changes a criterion\'s weight, sees the shares and the trial total, and publishes a new form version', async () => {
    const admin = await openPage(browser, { viewport: { width: 1440, height: 1000 } });
    admin.page.on('dialog', (dialog) => void dialog.accept());
    try {
      const { page } = admin;
      await signInAdminAt(page, h.baseUrl, '#/quality-forms/standard/criteria', 'admin', 'admin-password');
      await page.getByRole('heading', { level: 1, name: 'Evaluation forms' }).waitFor();
      const greeting = page.locator('tr[data-criterion="greeting"]');
      await expect(greeting.locator('td[data-field="share"]').textContent()).resolves.toBe('10.0 %');
      // A weight of 0 is refused by the server's validator, on the field it is about.
      await page.getByLabel('Weight Greeting').fill('0');
      await greeting.getByRole('alert').waitFor();
      await page.getByRole('group', { name: 'Actions' }).getByText('1 problem(s)').waitFor();
      await page.getByLabel('Weight Greeting').fill('30');
      await greeting.getByRole('alert').waitFor({ state: 'detached' });
      // 30 of 120 now.
      await expect(greeting.locator('td[data-field="share"]').textContent()).resolves.toBe('25.0 %');
      await page.getByLabel('Try a score Greeting').fill('5');
      await page.getByLabel('Try a score No rudeness').fill('1');
      // (30 + 5) / 120 = 29.2 %, six… five criteria still unscored.
      await expect(page.getByTestId('form-preview').textContent()).resolves.toMatch(/29\.2 % with the scores tried — 5 criterion\(s\) not scored yet/);
      await page.getByRole('group', { name: 'Actions' }).getByText('✓ valid').waitFor();
      await page.getByLabel('Comment for this version').fill('Greeting counts more');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('status').getByText('Published v2: new calls use it now.').waitFor();
      // The form list says which version is in use now.
      await expectSoon(() => page.getByRole('combobox', { name: 'Form', exact: true }).locator('option:checked').textContent(), /published v2/);
      await admin.screenshot('quality-form-editor');

      const published = await h.call<{ version: number; document: { criteria: Array<{ id: string; weight: number }> } }>('GET', '/api/quality/forms/standard/published', { token: h.tokens.quality });
      expect(published.body.version).toBe(2);
      expect(published.body.document.criteria.find((c) => c.id === 'greeting')?.weight).toBe(30);
      expect(admin.errors).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  it('the agent reads the evaluation in the softphone, with scores, the comment at its time and the summary, and acknowledges it', async () => {
    const agent = await openPage(browser, { viewport: { width: 1440, height: 1000 } });
    try {
      const { page } = agent;
      await signIn(page, h.baseUrl, 'softphone', 'anna', 'demo-pass-1');
      const panel = page.getByRole('region', { name: 'My evaluations' });
      const row = panel.locator('tr[data-evaluation]');
      await row.first().waitFor();
      await expect(row.count()).resolves.toBe(1);
      await expect(row.locator('td[data-field="total"]').textContent()).resolves.toBe('87.0 %');
      await expect(row.locator('td[data-field="result"]').textContent()).resolves.toBe('Passed');
      await row.getByText('new', { exact: true }).waitFor();
      await row.getByRole('button', { name: /^Open evaluation of/ }).click();
      const detail = panel.getByRole('article');
      await detail.locator('tr[data-criterion="product_knowledge"]').getByText('3 / 5').waitFor();
      await detail.locator('tr[data-criterion="product_knowledge"]').getByText('Quoted last month\'s price').waitFor();
      await expect(detail.getByRole('list', { name: 'Comments' }).textContent()).resolves.toMatch(/0:02\s*Client raises the complaint; agent stays calm/);
      await detail.getByText('Handled the complaint well; check prices before quoting.').waitFor();
      await agent.screenshot('softphone-my-evaluations');
      await detail.getByRole('button', { name: 'Acknowledge' }).click();
      await detail.getByRole('status').getByText(/^Acknowledged /).waitFor();
      await row.getByText('new', { exact: true }).waitFor({ state: 'detached' });
      const stored = await h.db.query<{ acknowledged_at: Date | null }>('SELECT acknowledged_at FROM quality_evaluations WHERE call_id = $1', [complaintCall]);
      expect(stored.rows[0]!.acknowledged_at).not.toBeNull();
    } finally {
      await agent.close();
    }
  });

  it('the reports screen shows the agent\'s week: one evaluation, its average, pass rate and each criterion; the reviewer reads the forms but cannot change them', async () => {
    const { page } = reviewer!;
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Quality results' }).click();
    await page.getByRole('heading', { level: 1, name: 'Quality results' }).waitFor();
    const row = page.locator('tr[data-agent="Anna Petrova"]');
    await row.waitFor();
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('td[data-field="evaluations"]').textContent()).resolves.toBe('1');
    await expect(row.locator('td[data-field="average"]').textContent()).resolves.toBe('87.0 %');
    await expect(row.locator('td[data-field="passRate"]').textContent()).resolves.toBe('100.0 %');
    // Product knowledge 3 of 5 = 60 %, greeting 4 of 5 = 80 %.
    await expect(row.locator('td[data-field="criterion-product_knowledge"]').textContent()).resolves.toBe('60.0 %');
    await expect(row.locator('td[data-field="criterion-greeting"]').textContent()).resolves.toBe('80.0 %');
    await page.getByRole('img', { name: 'Average score per agent' }).waitFor();
    await reviewer!.screenshot('quality-reports');

    // The reviewer reads the forms, as published (v2 by now), and cannot change them.
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Evaluation forms' }).click();
    await page.getByText('Only admins change forms; you see the version in use.').waitFor();
    await expectSoon(() => page.getByLabel('Weight Greeting').inputValue(), '30');
    await expect(page.getByLabel('Weight Greeting').isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Publish' }).count()).resolves.toBe(0);

    // In Russian too: the menu, the screen and the criteria table.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
    await page.getByRole('heading', { level: 1, name: 'Формы оценки' }).waitFor();
    await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Оценка звонков' }).waitFor();
    await page.getByText('Формы меняют только администраторы; показана действующая версия.').waitFor();
    await page.getByRole('combobox', { name: 'Язык' }).selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Evaluation forms' }).waitFor();
    expect(reviewer!.errors).toEqual([]);
  });
});
