import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { voicemailStore } from '../../../src/db/repositories/voicemails-repository';
import { encodeStereoWav } from '../../../src/media/wav-writer';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { launchChromium, openPage, signIn, type WatchedPage } from '../../helpers/browser';
import { releaseInOrder } from '../../helpers/release';
import { signInAdminAt } from './admin-config-helpers';

/**
 * The softphone's Messages tab and the supervisors' abandoned-calls page in
 * Chromium against the real server (SIP off): a voicemail for the operator's
 * queue is counted on the tab, listed, played from the API and marked done;
 * an abandoned call is worked off the list. Real SIP (a caller leaving the
 * message) is in test/e2e/voicemail.test.ts.
 */
describe('softphone messages tab and abandoned-calls page (Chromium, real API, Postgres; SIP off)', () => {
  let h: ApiHarness;
  let browser: Browser;
  let watched: WatchedPage;
  let dir: string;

  async function insertCall(id: string, number: string, outcome: string, startedAt: Date): Promise<void> {
    await h.db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, started_at, ended_at, queue_name, outcome, hangup_side, queue_wait_ms)
       VALUES ($1, $2, $2, $3, $3::timestamptz + interval '40 seconds', 'operators', $4, 'caller', 40000)`, [id, number, startedAt, outcome]);
  }

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, components: () => [{ name: 'sip', state: 'disabled', required: false }] });
    browser = await launchChromium();
    dir = mkdtempSync(path.join(os.tmpdir(), 'voicemail-web-'));
  }, 120_000);

  afterAll(() => releaseInOrder([() => watched?.close(), () => browser?.close(), () => h?.close(), () => rmSync(dir, { recursive: true, force: true })]), 100_000);

  it('an operator sees the new message counted on the tab, plays it and marks it done; works an abandoned call off the list', async () => {
    const callId = randomUUID();
    const recordingId = randomUUID();
    const messageId = randomUUID();
    await insertCall(callId, '+74951000004', 'overflowed', new Date(Date.now() - 120_000));
    const file = path.join(dir, 'message.wav');
    const tone = Int16Array.from({ length: 16000 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    writeFileSync(file, encodeStereoWav(tone, new Int16Array(16000), 8000));
    await h.db.query("INSERT INTO recordings (id, call_id, file_path, duration_ms, size_bytes) VALUES ($1, $2, $3, 2000, 64044)", [recordingId, callId, file]);
    const client = (await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Ugolok grocery'")).rows[0]!.id;
    await voicemailStore(h.db).add({
      id: messageId, callId, recordingId, offsetMs: 0, callerNumber: '+74951000004', clientId: client, owner: { kind: 'queue', queue: 'operators' },
      recordedAt: new Date(Date.now() - 100_000), durationMs: 2000, endedBy: 'hash',
    });
    const abandoned = randomUUID();
    await insertCall(abandoned, '+74951777055', 'abandoned_queue', new Date(Date.now() - 600_000));

    watched = await openPage(browser);
    const page = watched.page;
    await signIn(page, h.baseUrl, 'softphone', 'olga', 'demo-pass-1');
    const tab = page.getByRole('tab', { name: /Messages/ });
    await tab.getByTestId('voicemail-count').getByText('1').waitFor();
    await tab.click();
    const message = page.locator(`[data-voicemail="${messageId}"]`);
    await message.getByText('Ugolok grocery').waitFor();
    await message.getByText(/queue operators/).waitFor();
    await message.getByRole('button', { name: /^Play/ }).click();
    const audio = message.getByTestId('voicemail-audio');
    await audio.waitFor();
    // The browser decoded the WAV it fetched with the session's header and plays it.
    await page.waitForFunction((id) => {
      const el = document.querySelector<HTMLAudioElement>(`[data-voicemail="${id}"] audio`);
      return el !== null && el.duration > 1.9 && el.currentTime > 0;
    }, messageId, { timeout: 15_000 });

    const entry = page.locator(`[data-abandoned="${abandoned}"]`);
    await entry.getByText('+74951777055').waitFor();
    await entry.getByRole('button', { name: /^Call back/ }).waitFor();
    await watched.screenshot('softphone-messages');

    await entry.getByRole('button', { name: /^No answer/ }).click();
    await entry.getByText(/tried: No answer/).waitFor();
    await entry.getByRole('button', { name: /^Reached/ }).click();
    await entry.waitFor({ state: 'detached' });
    expect((await h.db.query('SELECT result FROM abandoned_callbacks WHERE call_id = $1 ORDER BY id', [abandoned])).rows.map((r) => r.result)).toEqual(['no_answer', 'reached']);

    await message.getByRole('button', { name: /^Done/ }).click();
    await message.waitFor({ state: 'detached' });
    await page.getByText('No new messages.').waitFor();
    const row = (await h.db.query<{ done_at: Date | null; full_name: string }>('SELECT v.done_at, s.full_name FROM voicemails v JOIN staff s ON s.id = v.done_by WHERE v.id = $1', [messageId])).rows[0];
    expect(row?.full_name).toBe('Olga Smirnova');
    expect(row?.done_at).not.toBeNull();
    expect(watched.errors).toEqual([]);
  }, 90_000);

  it("a supervisor sees each queue's open abandoned calls", async () => {
    await insertCall(randomUUID(), '+74951777066', 'abandoned_queue', new Date(Date.now() - 900_000));
    const admin = await openPage(browser);
    try {
      await signInAdminAt(admin.page, h.baseUrl, '#/abandoned', 'supervisor', 'demo-pass-1');
      await admin.page.getByTestId('abandoned-per-queue').getByText(/operators 1/).waitFor();
      await admin.page.getByTestId('abandoned-table').getByText('+74951777066').waitFor();
      await admin.screenshot('supervisor-abandoned-calls');
      expect(admin.errors).toEqual([]);
    } finally {
      await admin.close();
    }
  }, 60_000);
});
