import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freeTcpPort } from '../../src/platform/managed-process';
import { openPage, SCREENSHOT_DIR, type WatchedPage } from '../helpers/browser';
import { launchSoftphoneBrowser } from './softphone-kit';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually, quietPeriod } from '../helpers/eventually';
import { callerScenario, freeMediaPort, registerPhone } from '../helpers/sipp';
import { deviceCallerScenario } from '../helpers/sipp-scenario';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

/** The trunk sends from its own loopback address, so that staff phones on 127.0.0.1 are not trunk sources. */
const TRUNK_IP = '127.0.0.5';
const MARKET_CLIENT = '+74951000001';
const KEY_CLIENT = '+74951000002';
/** The admin's own staff member and SIP login, made by the test (the demo admin account has none). */
const ADMIN_SIP = { user: 'ada', password: 'ada-sip-pass-1' };

/** Runs sipp once as a UAC from `ip` against the system; resolves with its exit code and, on failure, what it said. */
async function sipp(o: { scenario: string; ip: string; target: string; auth?: { user: string; password: string; uri: string }; timeoutSeconds?: number }): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-draft-'));
  try {
    writeFileSync(path.join(dir, 'scenario.xml'), o.scenario);
    const args = [
      o.target, '-sf', path.join(dir, 'scenario.xml'), '-m', '1', '-i', o.ip, '-p', String(await freeTcpPort()), '-mp', String(await freeMediaPort()),
      '-nostdin', '-timeout', `${o.timeoutSeconds ?? 45}s`, '-timeout_error', '-trace_err',
      // The digest must be over the real Request-URI (RFC 2617 §3.2.2.5), which sipp is told without its scheme.
      ...(o.auth ? ['-au', o.auth.user, '-ap', o.auth.password, '-auth_uri', o.auth.uri] : []),
    ];
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const errors = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
    return { code, output: code === 0 ? '' : `${output}\n${errors ? readFileSync(path.join(dir, errors), 'utf8') : ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type FlowDoc = { start: string; nodes: Record<string, Record<string, unknown>> } & Record<string, unknown>;

// Issue 7, "call it": the admin's own phone dials the DRAFT of an IVR flow; the call takes the hotline's path on the draft.
describeWithDrachtio('calling a draft IVR flow from a staff phone (real drachtio, rtpengine, sipp, Chromium, Redis, Postgres)', () => {
  let h: SystemHarness;
  let admin: string;
  let adaStaffId: number;
  let published: FlowDoc;
  let draftVersion: number;

  beforeAll(async () => {
    h = await startSystemHarness({ env: { SIP_TRUNKS: TRUNK_IP } });
    admin = await h.login('admin', 'switchboard-admin');
    // The demo admin account has no staff member (no phone): give it one, as an admin would.
    const staff = await h.api('POST', '/api/staff', admin, { fullName: 'Ada Admin', role: 'admin', sipUsername: ADMIN_SIP.user, sipPassword: ADMIN_SIP.password });
    expect(staff.status).toBe(201);
    adaStaffId = staff.body.id;
    const users = await h.api('GET', '/api/users', admin);
    const adminUser = users.body.find((u: { username: string }) => u.username === 'admin');
    expect((await h.api('PATCH', `/api/users/${adminUser.id}`, admin, { staffId: adaStaffId })).status).toBe(200);
    // Linking revokes the account's tokens.
    admin = await h.login('admin', 'switchboard-admin');
    expect(await registerPhone({ target: h.sipTarget, port: await freeTcpPort(), user: ADMIN_SIP.user, password: ADMIN_SIP.password })).toBe(0);

    published = (await h.api('GET', '/api/ivr/flows/main/published', admin)).body.document as FlowDoc;
    // The draft starts with a menu of its own (key 9 → operators); everything else stays reachable through its other exits.
    const draft: FlowDoc = {
      ...published,
      start: 'draft_menu',
      nodes: {
        ...published.nodes,
        draft_menu: { type: 'menu', prompts: ['main_menu'], options: { '9': 'route_operator' }, timeoutMs: 6000, maxRetries: 1, onTimeout: 'greeting', onInvalid: 'greeting', onMaxRetries: 'greeting', bargeIn: true },
      },
    };
    const saved = await h.api('POST', '/api/ivr/flows/main/versions', admin, { document: draft, comment: 'draft under test' });
    expect(saved.status).toBe(201);
    draftVersion = saved.body.version;
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  // Each scenario leaves no call and no rtpengine session behind (every resource released, design §8).
  afterEach(() => h.expectNothingLeft(), 30_000);

  let testStartedAt = new Date();
  beforeEach(() => {
    testStartedAt = new Date();
  });
  const callsSince = async () => (await h.db.query('SELECT * FROM calls WHERE started_at >= $1 ORDER BY started_at', [testStartedAt])).rows as Array<Record<string, any>>;
  const eventsOf = async (callId: string) => (await h.db.query('SELECT type, data FROM call_events WHERE call_id = $1 ORDER BY seq', [callId])).rows as Array<{ type: string; data: any }>;
  const stepsOf = (events: Array<{ type: string; data: any }>): string[] => events.filter((e) => e.type === 'ivr_step').map((e) => e.data.nodeId as string);
  const adaDials = (dialled: string, expect: number, extra: { warning?: string; talkMs?: number } = {}) => sipp({
    scenario: deviceCallerScenario({ dialled, user: ADMIN_SIP.user, expect, ...extra }), ip: '127.0.0.1', target: h.sipTarget,
    auth: { user: ADMIN_SIP.user, password: ADMIN_SIP.password, uri: `${dialled}@${h.sipTarget}` },
  });

  it('the admin\'s desk phone dials ivr-draft-main: the DRAFT\'s path is taken, while a hotline call at the same time takes the published one', async () => {
    const [draftCall, hotlineCall] = await Promise.all([
      adaDials('ivr-draft-main', 200, { talkMs: 8000 }),
      sipp({ scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 8000 }, { hangUp: true }] }), ip: TRUNK_IP, target: h.sipTarget }),
    ]);
    expect(draftCall).toEqual({ code: 0, output: '' });
    expect(hotlineCall).toEqual({ code: 0, output: '' });

    const calls = await eventually(callsSince, (rows) => rows.length === 2 && rows.every((r) => r.ended_at !== null), 20_000, 200);
    expect(calls).toHaveLength(2);
    const draft = calls.find((c) => c.dialed_number === 'ivr-draft-main')!;
    const hotline = calls.find((c) => c.dialed_number !== 'ivr-draft-main')!;
    // The two calls overlapped: the draft never replaced the published flow for anyone else.
    expect(draft.started_at < hotline.ended_at && hotline.started_at < draft.ended_at).toBe(true);

    // The draft test: an internal call from the admin's phone, on the draft version, marked as such.
    expect(draft).toMatchObject({ direction: 'internal', trunk: null, caller_number: ADMIN_SIP.user, client_id: null, ivr_flow_version: draftVersion, hangup_side: 'caller' });
    const draftEvents = await eventsOf(draft.id);
    expect(draftEvents.find((e) => e.type === 'ivr_started')?.data).toMatchObject({ flow: 'main', version: draftVersion, draft: true });
    expect(stepsOf(draftEvents)[0]).toBe('draft_menu');

    // The hotline caller heard the published flow: version 1, its greeting first, nothing of the draft.
    expect(hotline).toMatchObject({ direction: 'inbound', trunk: TRUNK_IP, caller_e164: MARKET_CLIENT, ivr_flow_version: 1 });
    const hotlineEvents = await eventsOf(hotline.id);
    const started = hotlineEvents.find((e) => e.type === 'ivr_started')?.data;
    expect(started).toMatchObject({ flow: 'main', version: 1 });
    expect(started.draft).toBeUndefined();
    expect(stepsOf(hotlineEvents)[0]).toBe('greeting');
    expect(stepsOf(hotlineEvents)).not.toContain('draft_menu');

    // Calling the draft changed nothing about it: still a draft, and version 1 still the published one.
    const versions = (await h.api('GET', '/api/ivr/flows/main/versions', admin)).body as Array<{ version: number; status: string }>;
    expect(versions.find((v) => v.version === draftVersion)?.status).toBe('draft');
    expect(versions.find((v) => v.version === 1)?.status).toBe('published');
  }, 90_000);

  it('a named draft version can be called as a client\'s number: the call is identified and routed as that client would be', async () => {
    const dialled = `ivr-draft-main-v${draftVersion}-as-${KEY_CLIENT}`;
    expect(await adaDials(dialled, 200, { talkMs: 3000 })).toEqual({ code: 0, output: '' });
    const [call] = await eventually(callsSince, (rows) => rows[0]?.ended_at != null, 20_000, 200);
    expect(call).toMatchObject({ direction: 'internal', caller_number: KEY_CLIENT, caller_e164: KEY_CLIENT, client_type: 'key', dialed_number: dialled, ivr_flow_version: draftVersion });
    const events = await eventsOf(call!.id);
    expect(events.find((e) => e.type === 'caller_identified')?.data).toMatchObject({ clientType: 'key', callerE164: KEY_CLIENT });
    expect(events.find((e) => e.type === 'ivr_started')?.data).toMatchObject({ version: draftVersion, draft: true });
  }, 60_000);

  it('refuses with a reason a phone can show: 403 for staff who may not edit IVR, 606 for an invalid draft, 404 for no such draft — and no call is placed', async () => {
    // Anna is an operator: her phone authenticates, but she may not call drafts.
    const anna = await sipp({
      scenario: deviceCallerScenario({ dialled: 'ivr-draft-main', user: 'anna', expect: 403, warning: 'only people who may edit IVR flows' }), ip: '127.0.0.1', target: h.sipTarget,
      auth: { user: 'anna', password: 'demo-pass-1', uri: `ivr-draft-main@${h.sipTarget}` },
    });
    expect(anna).toEqual({ code: 0, output: '' });

    // A draft that no longer passes the validator (saving would have refused it; here it is written behind the API's back).
    const broken: FlowDoc = { ...published, nodes: { ...published.nodes, greeting: { ...published.nodes.greeting, next: 'no_such_node' } } };
    const { rows } = await h.db.query<{ version: number }>(
      "INSERT INTO ivr_flow_versions (flow_name, version, status, document, created_by) SELECT 'main', max(version) + 1, 'draft', $1, 'test' FROM ivr_flow_versions WHERE flow_name = 'main' RETURNING version",
      [JSON.stringify(broken)],
    );
    const brokenVersion = rows[0]!.version;
    try {
      expect(await adaDials(`ivr-draft-main-v${brokenVersion}`, 606, { warning: `draft v${brokenVersion} is invalid.*unknown node` })).toEqual({ code: 0, output: '' });
      // The newest draft is the broken one: the bare address names it too.
      expect(await adaDials('ivr-draft-main', 606, { warning: 'no_such_node' })).toEqual({ code: 0, output: '' });
    } finally {
      await h.db.query("DELETE FROM ivr_flow_versions WHERE flow_name = 'main' AND version = $1", [brokenVersion]);
    }
    expect(await adaDials('ivr-draft-main-v1', 404, { warning: 'version 1 is published, not a draft' })).toEqual({ code: 0, output: '' });
    expect(await adaDials('ivr-draft-nosuch', 404, { warning: 'has no draft' })).toEqual({ code: 0, output: '' });
    expect(await callsSince()).toEqual([]);
  }, 90_000);

  describe('from the admin app: "call it" opens the admin\'s softphone, which dials the edited draft (Chromium)', () => {
    let browser: Browser;
    let watched: WatchedPage;
    let softphone: Page | null = null;
    const softphoneErrors: string[] = [];

    beforeAll(async () => {
      // Browser and rtpengine share this machine: Chromium must offer its loopback address as an ICE candidate.
      browser = await launchSoftphoneBrowser();
      watched = await openPage(browser);
      // The softphone exposes its phone to the test only with this flag (src/web/softphone/use-phone.ts).
      await watched.context.addInitScript(() => localStorage.setItem('switchboard.debug', '1'));
    }, 60_000);

    afterAll(async () => {
      await watched?.close();
      await browser?.close();
    });

    it('edits the draft, clicks "call it": the softphone opens in a new tab, registers and calls the saved draft; keys pressed there take the edited branch', async () => {
      const { page } = watched;
      await page.goto(`${h.baseUrl}/admin/#/ivr/main/flow`);
      await page.getByLabel(/username/i).fill('admin');
      await page.getByLabel(/^password/i).fill('switchboard-admin');
      await page.getByRole('button', { name: /sign in/i }).click();
      // The editor opens the draft being worked on.
      await page.locator('.workflow-status', { hasText: `draft v${draftVersion}` }).waitFor({ timeout: 20_000 });

      // The edit: the draft's menu gets key 1 → second line.
      await page.getByRole('button', { name: 'draft_menu', exact: true }).click();
      await page.getByRole('button', { name: 'Add branch' }).click();
      await page.getByLabel('Goes to (Key 1)').fill('route_second_line');
      await page.locator('.workflow-status', { hasText: 'valid' }).waitFor();
      await expect(page.locator('.workflow-status').textContent()).resolves.toMatch(/unsaved changes/);

      const opened = watched.context.waitForEvent('page', { timeout: 20_000 });
      await page.getByRole('button', { name: /Call it from my softphone/ }).click();
      softphone = await opened;
      softphone.on('console', (m) => { if (m.type() === 'error') softphoneErrors.push(m.text()); });
      softphone.on('pageerror', (e) => softphoneErrors.push(e.message));
      // The unsaved edit was saved into the draft first, and the panel says which version is called.
      const panel = page.getByRole('dialog', { name: 'Calling the draft' });
      await expect(panel.textContent()).resolves.toContain(`calling draft v${draftVersion} of “main”`);
      await page.locator('.workflow-status', { hasText: `draft v${draftVersion}` }).waitFor();
      await expect(page.locator('.workflow-status').textContent()).resolves.not.toMatch(/unsaved/);
      const savedDraft = (await h.api('GET', `/api/ivr/flows/main/versions/${draftVersion}`, admin)).body.document as FlowDoc;
      expect(savedDraft.nodes.draft_menu!.options).toEqual({ '1': 'route_second_line', '9': 'route_operator' });
      await watched.screenshot('admin-ivr-call-it');

      // The softphone (opened at /softphone/#dial=ivr-draft-main-v<n>), signed in with the admin's session, registers and places the call itself.
      expect(new URL(softphone.url()).pathname).toBe('/softphone/');
      const page2 = softphone;
      await page2.getByTestId('call-status').getByText('In call').waitFor({ timeout: 30_000 }).catch(async (err: Error) => {
        // What the page's phone saw, so that a failure says why (state transitions, sip.js's log, what is on screen).
        const seen = await page2.evaluate(() => {
          const handle = (window as unknown as { __softphone?: { snapshot(): unknown; phone: { log: string[]; transitions: unknown } } }).__softphone;
          return JSON.stringify({ snapshot: handle?.snapshot(), transitions: handle?.phone.transitions, log: handle?.phone.log.slice(-40) }, null, 1);
        });
        await page2.screenshot({ path: path.join(SCREENSHOT_DIR, 'softphone-calling-draft-failed.png') });
        throw new Error(`${err.message}\n${seen}\n${await page2.locator('main').innerText()}`);
      });
      // The #dial= request is forgotten, so that a reload does not call again.
      expect(new URL(softphone.url()).hash).toBe('');
      await expect(softphone.getByTestId('remote-number').textContent()).resolves.toBe(`ivr-draft-main-v${draftVersion}`);
      await softphone.getByTestId('dialled-call').getByText(`Your call to ivr-draft-main-v${draftVersion}`).waitFor();
      await softphone.screenshot({ path: path.join(SCREENSHOT_DIR, 'softphone-calling-draft.png') });
      // The admin hears the draft: the menu prompt arrives as RTP on the browser's peer connection (WebRTC through rtpengine).
      const heard = await eventually(() => page2.evaluate(async () => {
        const pc = (window as unknown as { __softphone?: { peerConnection(): RTCPeerConnection | null } }).__softphone?.peerConnection();
        let received = 0;
        (await pc?.getStats())?.forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') received += r.packetsReceived ?? 0;
        });
        return received;
      }), (n) => n > 50, 15_000, 250);
      expect(heard).toBeGreaterThan(50);

      // Key 1 on the softphone's keypad (SIP INFO) takes the branch the edit added.
      await softphone.getByRole('button', { name: 'Keypad' }).click();
      await softphone.getByRole('button', { name: 'Send key 1' }).click();
      await softphone.getByTestId('dtmf-sent').getByText('1').waitFor();
      // Time for the routing decision and the queue; then hang up from the softphone if the call is still up.
      await quietPeriod(3000, 'the admin listens while the chosen branch routes and queues the call, then hangs up');
      const hangUp = softphone.getByRole('button', { name: /^Hang up/ });
      if (await hangUp.count()) await hangUp.first().click();
      await softphone.getByTestId('call-status').getByText('No call').waitFor({ timeout: 15_000 });

      const [call] = await eventually(callsSince, (rows) => rows[0]?.ended_at != null, 20_000, 200);
      expect(call).toMatchObject({ direction: 'internal', caller_number: ADMIN_SIP.user, dialed_number: `ivr-draft-main-v${draftVersion}`, ivr_flow_version: draftVersion });
      const events = await eventsOf(call!.id);
      expect(events.find((e) => e.type === 'ivr_started')?.data).toMatchObject({ version: draftVersion, draft: true });
      expect(events.filter((e) => e.type === 'dtmf').map((e) => e.data.digit)).toContain('1');
      expect(stepsOf(events)).toEqual(expect.arrayContaining(['draft_menu', 'route_second_line']));
      // The same routing decision a hotline call gets: the admin calls as an unknown caller asking for the second line.
      expect(events.find((e) => e.type === 'routed')?.data.reason).toMatch(/^second-line request from new caller/);

      // A reload does not call again: the #dial= request was used up.
      await softphone.reload();
      await softphone.getByTestId('phone-status').getByText('Phone: registered').waitFor({ timeout: 20_000 });
      await quietPeriod(1500, 'a reloaded page that wrongly dialled again would be calling by now');
      await expect(softphone.getByTestId('call-status').textContent()).resolves.toContain('No call');

      // The dial pad takes an address as well as a number; a refusal says why, in the server's words.
      await softphone.getByLabel('Number to call').fill('ivr-draft-nosuch');
      await softphone.getByRole('button', { name: 'Call', exact: true }).click();
      await softphone.getByRole('alert').getByText(/The call to ivr-draft-nosuch was refused: 404 Not Found \(no draft of this IVR flow\) — IVR flow nosuch has no draft/).waitFor({ timeout: 15_000 });
      await expect(callsSince()).resolves.toHaveLength(1);
      expect(watched.errors).toEqual([]);
      expect(softphoneErrors).toEqual([]);
    }, 120_000);
  });
});
