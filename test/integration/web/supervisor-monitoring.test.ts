import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import type { Acd } from '../../../src/acd';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { launchChromium, openPage, signIn, type WatchedPage } from '../../helpers/browser';
import { eventually, expectSoon } from '../../helpers/eventually';
import { MonitorLegPlacerDouble } from '../../helpers/monitor-leg-placer-double';
import { releaseInOrder } from '../../helpers/release';
import { monitoringScene } from './monitoring-scene';

// Issue 18: a supervisor listens to a live call from the wallboard, switches to whisper, stops, and finds the
// session on the Monitoring sessions screen with its duration. Real API, Postgres and ACD (Redis), Chromium; the
// telephony behind the API is the placer port's test double (no SIP side runs in this test — the real placer and
// the softphone's auto-answer are tested end to end with drachtio-server and rtpengine).
describe('live call monitoring from the wallboard (Chromium)', () => {
  let h: ApiHarness;
  let acd: Acd;
  let browser: Browser;
  const placer = new MonitorLegPlacerDouble();
  let staff: Map<string, number>;
  let callId: string;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, monitorLegs: placer });
    acd = h.acd as Acd;
    ({ staff, callId } = await monitoringScene(h));
    browser = await launchChromium();
  });
  afterAll(() => releaseInOrder([...pages.map((p) => () => p.close()), () => browser?.close(), () => h?.close()]));

  /** A page of its own, signed in, on the live wallboard (closed after the file's tests). */
  async function wallboardAs(username: string, password: string): Promise<WatchedPage> {
    const watched = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    pages.push(watched);
    await signIn(watched.page, h.baseUrl, 'admin', username, password);
    await watched.page.getByRole('navigation').getByRole('link', { name: 'Live wallboard' }).click();
    return watched;
  }

  it('lets a supervisor listen to an agent\'s call, whisper, stop, and see the session with its duration', async () => {
    const watched = await wallboardAs('h_supervisor', 'supervisor-password');
    const { page } = watched;
    const annaRow = page.locator(`tr[data-staff-id="${staff.get('Anna Petrova')}"]`);
    const listen = annaRow.getByRole('button', { name: 'Listen: Anna Petrova' });
    await listen.waitFor();
    // The modes this supervisor may use, no more: an agent not on a call has none.
    await expect(annaRow.getByRole('button').allTextContents()).resolves.toEqual(['Listen', 'Whisper', 'Barge']);
    await expect(page.locator(`tr[data-staff-id="${staff.get('Ion Popescu')}"]`).getByRole('button').count()).resolves.toBe(0);
    await watched.screenshot('supervisor-monitoring-wallboard');

    await listen.click();
    const bar = page.getByRole('region', { name: 'Monitoring session' });
    await bar.waitFor();
    await expectSoon(() => bar.textContent(), /Anna Petrova · \+74951000001 · operators/);
    expect(placer.placed.map((p) => p.request)).toEqual([expect.objectContaining({ callId, mode: 'listen', supervisorStaffId: staff.get('Dmitri Lebedev'), announce: false })]);
    const sessionId = await bar.getAttribute('data-session-id');
    // The elapsed time ticks on the bar.
    const first = await bar.getByTestId('monitoring-elapsed').textContent();
    expect(await eventually(() => bar.getByTestId('monitoring-elapsed').textContent(), (text) => text !== first)).not.toBe(first);
    await watched.screenshot('supervisor-monitoring-listening');

    // A controlled switch: it shows the new mode once the server took it.
    await bar.getByRole('radio', { name: 'Whisper' }).click();
    await eventually(() => placer.placed[0]?.modes ?? [], (modes) => modes.includes('whisper'));
    expect(placer.placed[0]?.modes).toEqual(['listen', 'whisper']);
    expect(await eventually(() => bar.getByRole('radio', { name: 'Whisper' }).isChecked(), (checked) => checked)).toBe(true);

    await bar.getByRole('button', { name: 'Stop' }).click();
    await bar.waitFor({ state: 'detached' });
    expect(placer.placed[0]?.stopped).toBe(true);
    await annaRow.getByRole('button', { name: 'Listen: Anna Petrova' }).waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Monitoring sessions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Monitoring sessions' }).waitFor();
    const row = page.locator(`tr[data-session-id="${sessionId}"]`);
    await expectSoon(() => row.textContent(), /h_supervisor.*Anna Petrova.*\+74951000001.*operators.*listen → whisper.*stopped/);
    await expect(row.getByTestId('duration').textContent()).resolves.toMatch(/^\d+:\d\d$/);
    const stored = await h.db.query<{ duration_ms: number; end_reason: string }>('SELECT duration_ms, end_reason FROM monitoring_sessions WHERE id = $1', [sessionId]);
    expect(stored.rows[0]).toMatchObject({ end_reason: 'stopped' });
    expect(stored.rows[0]?.duration_ms).toBeGreaterThan(0);
    await watched.screenshot('supervisor-monitoring-sessions');
    expect(watched.errors).toEqual([]);
  });

  it('offers the quality role Listen only; quality listens and stops from the Monitoring sessions screen', async () => {
    const watched = await wallboardAs('h_quality', 'quality-password');
    const { page } = watched;
    const annaRow = page.locator(`tr[data-staff-id="${staff.get('Anna Petrova')}"]`);
    await annaRow.getByRole('button', { name: 'Listen: Anna Petrova' }).waitFor();
    await expect(annaRow.getByRole('button').allTextContents()).resolves.toEqual(['Listen']);
    await watched.screenshot('quality-monitoring-wallboard');

    await annaRow.getByRole('button', { name: 'Listen: Anna Petrova' }).click();
    const bar = page.getByRole('region', { name: 'Monitoring session' });
    await bar.waitFor();
    // Listen is the only mode quality may switch to: the switch offers nothing else.
    await expect(bar.getByRole('radio').count()).resolves.toBe(1);
    const sessionId = await bar.getAttribute('data-session-id');
    await page.getByRole('navigation').getByRole('link', { name: 'Monitoring sessions' }).click();
    const row = page.locator(`tr[data-session-id="${sessionId}"]`);
    await expectSoon(() => row.textContent(), /h_quality.*Anna Petrova.*listen.*running/);
    // Quality sees its own sessions only, not the supervisor's from the test before.
    await expect(page.getByTestId('monitoring-sessions').locator('tbody tr').count()).resolves.toBe(1);
    await row.getByRole('button', { name: 'Stop' }).click();
    await expectSoon(() => row.textContent(), /listen.*stopped/);
    expect(placer.placed.at(-1)).toMatchObject({ request: { callId, mode: 'listen', supervisorStaffId: staff.get('Svetlana Belova') }, stopped: true });
    await watched.screenshot('quality-monitoring-sessions');
    expect(watched.errors).toEqual([]);
  });

  it('lets an admin assign a supervisor to a queue in the queue editor, after which their wallboard offers monitoring for that queue\'s agents only', async () => {
    const ion = String(staff.get('Ion Popescu'));
    const regionalCall = randomUUID();
    await acd.transition(ion, 'ready');
    await acd.enqueue({ callId: regionalCall, queueId: 'regional', callerNumber: '+74822100005' });
    await acd.markOffered(regionalCall, ion);
    await acd.answer(regionalCall, ion);

    const admin = await wallboardAs('admin', 'admin-password');
    await admin.page.goto(`${h.baseUrl}/admin/#/directory/queues`);
    await admin.page.getByRole('button', { name: 'Regional orders' }).click();
    const drawer = admin.page.getByRole('dialog', { name: 'Edit Regional orders' });
    const supervisors = drawer.getByRole('group', { name: 'Supervisors (may monitor this queue\'s calls)' });
    await supervisors.getByRole('checkbox', { name: 'h_supervisor' }).check();
    await supervisors.getByRole('button', { name: 'Assign supervisors' }).click();
    await supervisors.getByRole('status').filter({ hasText: 'Assigned.' }).waitFor();
    await supervisors.scrollIntoViewIfNeeded();
    await admin.screenshot('admin-queue-supervisors');
    const assigned = await h.call<{ items: Array<{ queue: string; supervisors: Array<{ username: string }> }> }>('GET', '/api/call-monitoring/queue-supervisors', { token: h.tokens.admin });
    expect(assigned.body.items.filter((q) => q.supervisors.length > 0).map((q) => [q.queue, q.supervisors.map((u) => u.username)])).toEqual([['regional', ['h_supervisor']]]);
    // Admins see the monitoring in the audit log too: each session's steps, by whom (the first test's session).
    await admin.page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await admin.page.getByLabel('What').selectOption('monitoring session');
    const steps = admin.page.getByRole('table', { name: 'Audit log' }).locator('tr.audit-entry');
    await expectSoon(() => steps.allTextContents().then((rows) => rows.join('\n')), /h_supervisor.*monitoring session/);
    expect((await steps.allTextContents()).every((row) => /h_supervisor|h_quality|admin/.test(row) && row.includes('monitoring session'))).toBe(true);
    expect(admin.errors).toEqual([]);

    const watched = await wallboardAs('h_supervisor', 'supervisor-password');
    const { page } = watched;
    await page.locator(`tr[data-staff-id="${ion}"]`).getByRole('button', { name: 'Listen: Ion Popescu' }).waitFor();
    // Anna is still on her operators call, outside this supervisor's queues now: nothing to press beside her.
    await expectSoon(() => page.locator(`tr[data-staff-id="${staff.get('Anna Petrova')}"]`).textContent(), /Talking/);
    await expect(page.locator(`tr[data-staff-id="${staff.get('Anna Petrova')}"]`).getByRole('button').count()).resolves.toBe(0);
    expect(watched.errors).toEqual([]);
  });
});
