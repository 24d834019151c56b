import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually } from '../../helpers/eventually';
import { launchChromium, openPage, signIn, type WatchedPage } from '../../helpers/browser';
import { chunk, fmtBody, riff } from '../../helpers/wav-builder';

/**
 * A hand-made day for the report: five calls in the operators queue on
 * 2025-04-07 around noon UTC (so the day is the same local day in any zone
 * within ±9 h of UTC), service-level threshold T = 20 s.
 *
 *   call  wait  talk  hold  outcome          agent
 *   r1     5 s   60 s   —   answered         Anna     (within T)
 *   r2    30 s  120 s  10 s answered         Anna     (after T)
 *   r3    10 s   90 s   —   answered         Ion      (within T)
 *   r4     3 s    —     —   abandoned_queue  —        (short abandon, before T)
 *   r5    40 s    —     —   abandoned_queue  —        (after T)
 *
 * offered 5, answered 3, abandoned 2; answered within T: 2 (r1, r3); abandoned after T: 1 (r5)
 * SL of offered = 2 / 5 = 40.0 %; SL of answered + abandoned after T = 2 / (3 + 1) = 50.0 %
 * ASA = (5 + 30 + 10) / 3 = 15 s; talk 270 s = 4:30; hold 10 s; no ACD wrap-up events → 0:00
 * AHT = (270 + 10 + 0) / 3 = 93.3 s → 1:33; longest wait 40 s
 */
const DAY = '2025-04-07';
const REPORT_CALLS = [
  { name: 'r1', start: '11:00:00', waitS: 5, talkS: 60, holdS: 0, outcome: 'answered', agent: 'Anna Petrova' },
  { name: 'r2', start: '11:30:00', waitS: 30, talkS: 120, holdS: 10, outcome: 'answered', agent: 'Anna Petrova' },
  { name: 'r3', start: '12:00:00', waitS: 10, talkS: 90, holdS: 0, outcome: 'answered', agent: 'Ion Popescu' },
  { name: 'r4', start: '12:10:00', waitS: 3, talkS: 0, holdS: 0, outcome: 'abandoned_queue', agent: null },
  { name: 'r5', start: '12:20:00', waitS: 40, talkS: 0, holdS: 0, outcome: 'abandoned_queue', agent: null },
] as const;

/** A stereo 16-bit WAV: a 440 Hz tone on the left (caller) for the first second, 660 Hz on the right (agent) for the second. */
function stereoRecording(seconds: number, sampleRate = 8000): Buffer {
  const frames = seconds * sampleRate;
  const pcm = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i += 1) {
    const t = i / sampleRate;
    const left = t < 1 ? Math.round(Math.sin(2 * Math.PI * 440 * t) * 12000) : 0;
    const right = t >= 1 ? Math.round(Math.sin(2 * Math.PI * 660 * t) * 12000) : 0;
    pcm.writeInt16LE(left, i * 4);
    pcm.writeInt16LE(right, i * 4 + 2);
  }
  return riff([chunk('fmt ', fmtBody({ channels: 2, sampleRate })), chunk('data', pcm)]);
}

async function cellText(page: Page, rowSelector: string, field: string): Promise<string> {
  return ((await page.locator(`${rowSelector} td[data-field="${field}"]`).textContent()) ?? '').trim();
}

// Issue 7: supervisors read queue and agent reports and search the call log, down to one call's timeline and recording.
describe('supervisor reports and call log (Chromium)', () => {
  let harness: ApiHarness;
  let browser: Browser;
  let watched: WatchedPage;
  let recordingDir: string;
  const timelineCallId = randomUUID();
  /** Every URL the page asked for: the session token must be in none of them (issue 15). */
  const requested: string[] = [];
  const sessionToken = (): Promise<string> => watched.page.evaluate(() => (JSON.parse(localStorage.getItem('switchboard.session') ?? '{}') as { token?: string }).token ?? '');

  beforeAll(async () => {
    // With the ACD, as in production: the admin app lands on the wallboard, which needs it.
    harness = await startApiHarness({ demo: true, acd: true });
    browser = await launchChromium();
    recordingDir = mkdtempSync(path.join(os.tmpdir(), 'supervisor-recording-'));
    const staff = await harness.db.query<{ id: number; full_name: string }>('SELECT id, full_name FROM staff');
    const staffId = (name: string): number => {
      const row = staff.rows.find((s) => s.full_name === name);
      if (!row) throw new Error(`demo staff ${name} missing`);
      return row.id;
    };
    for (const c of REPORT_CALLS) {
      const started = new Date(`${DAY}T${c.start}Z`).getTime();
      const answered = c.agent !== null;
      await harness.db.query(
        `INSERT INTO calls (id, direction, caller_number, caller_e164, started_at, queued_at, agent_answered_at, ended_at, queue_name,
                            queue_wait_ms, agent_id, agent_ids, talk_ms, hold_ms, outcome, hangup_side)
         VALUES ($1, 'inbound', '+74951000001', '+74951000001', $2, $2, $3, $4, 'operators', $5, $6, $7, $8, $9, $10, 'caller')`,
        [
          randomUUID(), new Date(started), answered ? new Date(started + c.waitS * 1000) : null,
          new Date(started + (c.waitS + c.talkS + c.holdS) * 1000), c.waitS * 1000, answered ? staffId(c.agent) : null,
          answered ? [staffId(c.agent)] : [], answered ? c.talkS * 1000 : null, c.holdS * 1000, c.outcome,
        ],
      );
    }

    // One call with a full timeline and a recording, from a known client's number.
    const client = await harness.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Sadovod market, stall 14'");
    const anna = staffId('Anna Petrova');
    const started = Date.now() - 3_600_000;
    const file = path.join(recordingDir, 'call.wav');
    const audio = stereoRecording(2);
    writeFileSync(file, audio);
    await harness.db.query(
      `INSERT INTO calls (id, direction, caller_number, caller_e164, client_id, client_type, started_at, answered_at, queued_at, agent_answered_at, ended_at,
                          ivr_path, routing_reason, queue_name, queue_wait_ms, agent_id, agent_ids, talk_ms, hold_ms, outcome, hangup_side, hangup_cause, disposition_code)
       VALUES ($1, 'inbound', '+7 (495) 123-45-67', '+74951234567', $2, 'market', $3, $3, $4, $5, $6,
               $7::jsonb, 'market client ordering: operators queue', 'operators', 12000, $8, $9, 60000, 0, 'answered', 'caller', 'BYE', 'order_taken')`,
      [
        timelineCallId, client.rows[0]?.id ?? null, new Date(started), new Date(started + 8000), new Date(started + 20000), new Date(started + 80000),
        JSON.stringify([{ nodeId: 'greeting', at: started + 500 }, { nodeId: 'main_menu', at: started + 3000, digits: '1' }]), anna, [anna],
      ],
    );
    const events: Array<[number, string, Record<string, unknown>]> = [
      [0, 'started', {}], [300, 'caller_identified', { clientId: client.rows[0]?.id ?? null }], [500, 'ivr_started', { from: 'ringing', to: 'ivr' }],
      [7000, 'routed', { from: 'ivr', to: 'routing', reason: 'market client ordering: operators queue' }],
      [8000, 'queued', { from: 'routing', to: 'queued', queue: 'operators' }], [15000, 'offered', { from: 'queued', to: 'offered', agentId: anna }],
      [20000, 'agent_answered', { from: 'offered', to: 'connected', agentId: anna }], [80000, 'ended', { from: 'connected', to: 'ended', side: 'caller' }],
    ];
    for (const [i, [offset, type, data]] of events.entries()) {
      await harness.db.query('INSERT INTO call_events (call_id, seq, at, type, data) VALUES ($1, $2, $3, $4, $5::jsonb)', [timelineCallId, i + 1, new Date(started + offset), type, JSON.stringify(data)]);
    }
    const recordingId = randomUUID();
    await harness.db.query(
      'INSERT INTO recordings (id, call_id, file_path, format, channels, sample_rate, duration_ms, size_bytes) VALUES ($1, $2, $3, \'wav\', 2, 8000, 2000, $4)',
      [recordingId, timelineCallId, file, audio.length],
    );
    await harness.db.query('UPDATE calls SET recording_id = $1 WHERE id = $2', [recordingId, timelineCallId]);

    watched = await openPage(browser, { viewport: { width: 1440, height: 900 } });
    watched.page.on('request', (request) => requested.push(request.url()));
    watched.page.on('websocket', (socket) => requested.push(socket.url()));
    await signIn(watched.page, harness.baseUrl, 'admin', 'h_supervisor', 'supervisor-password');
    await watched.page.getByRole('navigation').getByRole('link', { name: 'Reports' }).waitFor();
  });
  afterAll(async () => {
    await watched?.close();
    await browser?.close();
    await harness?.close();
    if (recordingDir) rmSync(recordingDir, { recursive: true, force: true });
  });

  it('shows the hand-computed queue figures for the day, both service-level definitions, a chart and a CSV download', async () => {
    const { page } = watched;
    await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
    const filters = page.getByRole('form', { name: 'Report filters' });
    await filters.getByLabel('From').fill(DAY);
    await filters.getByLabel('To (inclusive)').fill(DAY);
    await filters.getByLabel('Interval').selectOption('day');
    await filters.getByLabel('Queue').selectOption('operators');
    await filters.getByRole('button', { name: 'Show' }).click();

    const row = `tr[data-queue="operators"][data-bucket^="${DAY}"]`;
    await page.locator(row).waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    const figures: Record<string, string> = {};
    for (const field of ['offered', 'answered', 'abandoned', 'serviceLevelOfOffered', 'serviceLevelOfAnsweredAndAbandonedAfterSl', 'asaMs', 'ahtMs', 'talkMs', 'holdMs', 'wrapUpMs', 'longestWaitMs']) {
      figures[field] = await cellText(page, row, field);
    }
    expect(figures).toEqual({
      offered: '5', answered: '3', abandoned: '2', serviceLevelOfOffered: '40.0 %', serviceLevelOfAnsweredAndAbandonedAfterSl: '50.0 %',
      asaMs: '0:15', ahtMs: '1:33', talkMs: '4:30', holdMs: '0:10', wrapUpMs: '0:00', longestWaitMs: '0:40',
    });
    await expect(page.getByRole('img', { name: 'Calls and service level per interval' }).isVisible()).resolves.toBe(true);

    // The CSV link downloads the same figures in Chromium, through a short-lived ticket for the report's path, not the session token.
    const csvLink = page.getByRole('link', { name: 'Download CSV' });
    expect(await csvLink.getAttribute('href')).toMatch(/^\/api\/reports\/queues\?.*format=csv/);
    const [csv] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    expect(csv.url()).toMatch(/\/api\/reports\/queues\?ticket=[A-Za-z0-9_-]+&.*format=csv/);
    expect(csv.suggestedFilename()).toMatch(/^queue-report_[-0-9_]+\.csv$/);
    const lines = readFileSync(await csv.path()).toString('utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^queue,bucketStart,bucketLocal,offered,answered,abandoned/);
    expect(lines[1]).toMatch(/^operators,[^,]+,[^,]+,5,3,2,/);
    await watched.screenshot('supervisor-reports');

    // By agent: who handled what that day.
    await filters.getByRole('button', { name: 'By agent' }).click();
    await filters.getByRole('button', { name: 'Show' }).click();
    await page.locator('tr[data-agent="Anna Petrova"]').waitFor();
    await expect(cellText(page, 'tr[data-agent="Anna Petrova"]', 'handled')).resolves.toBe('2');
    await expect(cellText(page, 'tr[data-agent="Ion Popescu"]', 'handled')).resolves.toBe('1');
    await expect(cellText(page, 'tr[data-agent="Anna Petrova"]', 'talkMs')).resolves.toBe('3:00');
    await expect(page.getByRole('img', { name: 'Occupancy per agent over the period' }).isVisible()).resolves.toBe(true);
    await watched.screenshot('supervisor-reports-agents');
    expect(watched.errors).toEqual([]);
  });

  it('finds a call by a differently written number and opens its timeline, IVR path and recording waveform', async () => {
    const { page } = watched;
    await page.getByRole('navigation').getByRole('link', { name: 'Call log' }).click();
    const search = page.getByRole('search', { name: 'Call search' });
    // Stored as "+7 (495) 123-45-67"; typed the way a Russian supervisor dials it.
    await search.getByLabel('Phone number').fill('8 495 1234567');
    await search.getByRole('button', { name: 'Search' }).click();
    // The whole log is listed first (this call among them), then a loading row, then the search's result: wait for the result.
    const rows = await eventually(() => page.locator('table.call-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-call-id'))),
      (ids) => ids.length === 1 && ids[0] === timelineCallId, 20_000);
    expect(rows).toEqual([timelineCallId]);
    const row = page.locator(`tr[data-call-id="${timelineCallId}"]`);
    await expect(row.textContent()).resolves.toMatch(/Sadovod market, stall 14/);
    await expect(row.textContent()).resolves.toMatch(/Anna Petrova/);
    expect(page.url()).toMatch(/#\/calls\?number=8/);
    await watched.screenshot('supervisor-call-log');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Call from +7 (495) 123-45-67' }).waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const steps = await timeline.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-event')));
    expect(steps).toEqual(['started', 'caller_identified', 'ivr_started', 'routed', 'queued', 'offered', 'agent_answered', 'ended']);
    await expect(timeline.locator('li[data-event="agent_answered"]').textContent()).resolves.toMatch(/\+0:20.*Agent answered.*Anna Petrova/);
    await expect(page.getByRole('region', { name: 'IVR path' }).textContent()).resolves.toMatch(/greeting.*main_menu.*pressed 1/);
    await expect(page.getByRole('region', { name: 'Call facts' }).textContent()).resolves.toMatch(/market client ordering: operators queue/);
    await expect(page.getByRole('region', { name: 'Call facts' }).textContent()).resolves.toMatch(/Queue wait0:12/);

    // Both channels decoded and drawn; the download link carries the token.
    const waveform = page.getByRole('slider', { name: /Waveform/ });
    await page.locator('canvas.waveform[data-decoded="true"]').waitFor();
    await expect(waveform.getAttribute('data-channels')).resolves.toBe('2');
    // The caller's tone is in the first half of the top lane, the agent's in the second half of the bottom lane.
    const lanes = await page.locator('canvas.waveform').evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const ink = (x0: number, x1: number, y0: number, y1: number): number => {
        const data = ctx.getImageData(x0, y0, x1 - x0, y1 - y0).data;
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 150) dark += 1;
        return dark;
      };
      const w = canvas.width;
      const h = canvas.height;
      return { callerFirst: ink(40, w / 2 - 20, 20, h / 2), callerSecond: ink(w / 2 + 20, w - 40, 20, h / 2), agentFirst: ink(40, w / 2 - 20, h / 2 + 20, h), agentSecond: ink(w / 2 + 20, w - 40, h / 2 + 20, h) };
    });
    expect(lanes.callerFirst).toBeGreaterThan(lanes.callerSecond * 5);
    expect(lanes.agentSecond).toBeGreaterThan(lanes.agentFirst * 5);
    // The player plays, and the link downloads, the copy fetched with the session's header: no credential in a URL.
    const player = page.getByLabel('Call recording audio');
    await page.waitForFunction(() => {
      const el = document.querySelector('audio');
      return el !== null && el.readyState >= 1 && Math.round(el.duration) === 2;
    });
    expect(await player.getAttribute('src')).toMatch(/^blob:/);
    const [wav] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download WAV' }).click()]);
    expect(wav.suggestedFilename()).toBe(`call-${timelineCallId}.wav`);
    expect(readFileSync(await wav.path()).subarray(0, 4).toString('latin1')).toBe('RIFF');
    const token = await sessionToken();
    expect(token).not.toBe('');
    expect(requested.filter((url) => url.includes(token) || url.includes('access_token'))).toEqual([]);

    // Clicking the waveform three quarters along moves the play head to 1.5 s of 2 s.
    const box = await waveform.boundingBox();
    if (!box) throw new Error('waveform not laid out');
    await waveform.click({ position: { x: box.width * 0.75, y: box.height / 2 } });
    await expect(waveform.getAttribute('aria-valuetext')).resolves.toMatch(/^0:02 of 0:02$|^0:01 of 0:02$/);
    await watched.screenshot('supervisor-call-recording');
    await page.evaluate(() => window.scrollTo(0, 0));
    await watched.screenshot('supervisor-call-timeline');

    // Back keeps the search.
    await page.getByRole('link', { name: '← Back to the call log' }).click();
    await page.locator(`tr[data-call-id="${timelineCallId}"]`).waitFor();
    await expect(page.getByRole('search', { name: 'Call search' }).getByLabel('Phone number').inputValue()).resolves.toBe('8 495 1234567');
    expect(watched.errors).toEqual([]);
  });
});
