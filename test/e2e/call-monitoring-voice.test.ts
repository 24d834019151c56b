import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { startBaresipCaller, type BaresipCaller } from '../helpers/baresip-caller';
import type { WatchedPage } from '../helpers/browser';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { bandShares, lastMs } from '../helpers/tone-bands';
import { afterSoftphoneTests, agentReady, openSignedInSoftphone, takeOffTheQueue } from './softphone-kit';

const MARKET_CLIENT = '+74951000001';
const CALLER_HZ = 440;
const AGENT_HZ = 660;
const SUPERVISOR_HZ = 880;
const TONES = [CALLER_HZ, AGENT_HZ, SUPERVISOR_HZ];
/** Bands with no tone of anyone's, between and above them: the floor a heard tone must stand above. */
const FLOOR_HZ = [550, 770, 1000, 1200];

declare global {
  interface Window {
    /** One WebAudio analyser per kind of call on the page, rebuilt when its tracks change (levelsOn). */
    __voiceAnalysers?: Record<string, { key: string; analyser: AnalyserNode }>;
  }
}

interface Levels {
  tracks: number;
  /** dB of the strongest FFT bin near each tone. */
  tone: Record<number, number>;
  /** The loudest of the floor bands, dB. */
  floor: number;
}

/**
 * What a person's page hears on one kind of call — `main`, the customer call
 * (or the supervisor's listening call), `coach`, the agent's coaching call —
 * as a WebAudio FFT of every remote audio track the softphone plays for it.
 */
function levelsOn(page: Page, source: 'main' | 'coach'): Promise<Levels> {
  return page.evaluate(({ source, tones, floorHz }) => {
    const phone = window.__softphone as unknown as { remoteTracks(): MediaStreamTrack[]; sideRemoteTracks(kind: string): MediaStreamTrack[] } | undefined;
    const tracks = (source === 'main' ? phone?.remoteTracks() : phone?.sideRemoteTracks('coach')) ?? [];
    const analysers = (window.__voiceAnalysers ??= {});
    const key = tracks.map((t) => t.id).join(',');
    if (tracks.length > 0 && analysers[source]?.key !== key) {
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0.5;
      for (const track of tracks) context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
      analysers[source] = { key, analyser };
    }
    const current = tracks.length > 0 ? analysers[source]?.analyser : undefined;
    const silent = { tracks: tracks.length, tone: Object.fromEntries(tones.map((hz) => [hz, -200])), floor: -200 };
    if (!current) return silent;
    const bins = new Float32Array(current.frequencyBinCount);
    current.getFloatFrequencyData(bins);
    const hzPerBin = current.context.sampleRate / current.fftSize;
    const peak = (hz: number, width = 15): number => {
      let best = -Infinity;
      for (let b = Math.floor((hz - width) / hzPerBin); b <= Math.ceil((hz + width) / hzPerBin); b++) best = Math.max(best, bins[b] ?? -Infinity);
      return best;
    };
    return { tracks: tracks.length, tone: Object.fromEntries(tones.map((hz) => [hz, peak(hz)])), floor: Math.max(...floorHz.map((hz) => peak(hz, 20))) };
  }, { source, tones: TONES, floorHz: FLOOR_HZ });
}

/** A tone is heard when it stands 20 dB above the floor; it is absent when it does not stand out of it at all. */
const hears = (levels: Levels, hz: number): boolean => levels.tracks > 0 && (levels.tone[hz] ?? -200) > levels.floor + 20;
const lacks = (levels: Levels, hz: number): boolean => (levels.tone[hz] ?? -200) < levels.floor + 6;

/** The share of each tone in the last 1.5 s the caller heard (baresip records what it decodes). */
const callerHeard = (caller: BaresipCaller): Record<number, number> => bandShares(lastMs(caller.heard(), 1500), TONES);

// Issue 18 point 2, end to end: a real SIP caller (baresip, 440 Hz, recording what it hears) reaches Anna's browser
// softphone (fake microphone 660 Hz) through the hotline; a supervisor's browser softphone (fake microphone 880 Hz)
// listens, then whispers, barges and listens again from its monitoring bar. The caller's ears, Anna's ears and the
// audit say who heard whom in each mode.
describeWithDrachtio('call monitoring: whisper and barge from the browser softphone (drachtio-server, rtpengine, GStreamer, baresip, Chromium, Redis, Postgres)', () => {
  let h: SystemHarness;
  let tones: string;
  let supervisorBrowser: Browser;
  let supervisorWatched: WatchedPage;
  let supervisorPage: Page;
  let annaBrowser: Browser | undefined;
  let annaWatched: WatchedPage | undefined;
  let annaPage: Page;
  const staff: Record<string, number> = {};

  beforeAll(async () => {
    tones = mkdtempSync(path.join(os.tmpdir(), 'switchboard-voice-'));
    const toneWav = (name: string, hz: number): string => {
      const file = path.join(tones, `${name}.wav`);
      execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', file, 'synth', '30', 'sine', String(hz), 'vol', '0.5']);
      return file;
    };
    h = await startSystemHarness();
    // The wholesale department's head supervises the floor here: a supervisor with a staff record and a SIP login.
    await h.db.query("UPDATE users SET role = 'supervisor' WHERE username = 'head_wholesale'");
    const { rows } = await h.db.query<{ username: string; staff_id: number }>('SELECT username, staff_id FROM users WHERE staff_id IS NOT NULL');
    for (const row of rows) staff[row.username] = row.staff_id;
    await takeOffTheQueue(h, staff, ['ion', 'olga'], 'demo-pass-1');
    ({ browser: supervisorBrowser, watched: supervisorWatched, page: supervisorPage } = await openSignedInSoftphone(h, 'head_wholesale', 'demo-pass-1', { microphoneWav: toneWav('supervisor', SUPERVISOR_HZ) }));
    ({ browser: annaBrowser, watched: annaWatched, page: annaPage } = await openSignedInSoftphone(h, 'anna', 'demo-pass-1', { microphoneWav: toneWav('anna', AGENT_HZ) }));
  }, 180_000);

  afterSoftphoneTests(() => ({ h, browser: supervisorBrowser, watched: supervisorWatched }), () => annaWatched?.close(), () => annaBrowser?.close());
  afterEach(() => {
    expect(annaWatched?.errors).toEqual([]);
  });
  afterAll(() => rmSync(tones, { recursive: true, force: true }));

  /** The market client calls the hotline and picks option 1: the queue Anna takes. */
  const callTheHotline = (): Promise<BaresipCaller> =>
    startBaresipCaller({ target: h.sipTarget, from: MARKET_CLIENT, toneHz: CALLER_HZ, toneSeconds: 180, steps: [{ pauseMs: 2500 }, { digits: '1' }] });

  /** Anna answers on her softphone; the call's id once each hears the other. */
  async function annaAnswers(anna: string, caller: BaresipCaller): Promise<string> {
    await annaPage.getByRole('button', { name: /^Answer/ }).click({ timeout: 30_000 });
    const onCall = await eventually(() => h.api('GET', `/api/agents/${staff.anna}`, anna), (r) => r.body.state === 'on_call' && typeof r.body.callId === 'string', 30_000, 250);
    await eventually(() => callerHeard(caller), (b) => b[AGENT_HZ]! > 0.5, 20_000, 250);
    await eventually(() => levelsOn(annaPage, 'main'), (l) => hears(l, CALLER_HZ), 20_000, 250);
    return onCall.body.callId as string;
  }

  /**
   * Anna ready, the market client calling the hotline (option 1) and Anna answering on her softphone, then `test`
   * with both signed in; the caller is stopped and Anna's wrap-up ended whatever the test did.
   */
  async function withAnnaTalking(test: (call: { anna: string; supervisor: string; talking: BaresipCaller; callId: string }) => Promise<void>): Promise<void> {
    const anna = await h.login('anna', 'demo-pass-1');
    const supervisor = await h.login('head_wholesale', 'demo-pass-1');
    await agentReady(h, annaPage, staff.anna!, anna);
    let caller: BaresipCaller | undefined;
    try {
      caller = await callTheHotline();
      const callId = await annaAnswers(anna, caller);
      await test({ anna, supervisor, talking: caller, callId });
    } finally {
      await caller?.stop();
      await h.api('POST', `/api/agents/${staff.anna}/wrap-up/end`, anna).catch(() => undefined);
    }
  }

  /** The supervisor starts listening to the call; their softphone answers by itself and its monitoring bar says whom it hears. */
  async function supervisorListens(token: string, callId: string): Promise<{ started: { status: number; body: { id: string } }; bar: Locator }> {
    const started = await h.api('POST', '/api/call-monitoring/sessions', token, { callId, mode: 'listen' });
    expect(started.status).toBe(201);
    const bar = supervisorPage.getByTestId('monitoring-bar');
    await bar.getByText(/Listening to Anna .* ↔ \+74951000001/).waitFor({ timeout: 20_000 });
    return { started, bar };
  }

  it('whisper reaches Anna only, barge reaches the caller too, listen again leaves the caller with Anna alone; every mode is audited', async () => {
    await withAnnaTalking(async ({ supervisor, talking, callId }) => {
      const capabilities = await h.api('GET', '/api/call-monitoring/capabilities', supervisor);
      expect(capabilities.body.supportedModes).toEqual(['listen', 'whisper', 'barge']);

      // Listen: the supervisor hears both, nobody hears the supervisor.
      const { started, bar } = await supervisorListens(supervisor, callId);
      const listening = await eventually(() => levelsOn(supervisorPage, 'main'), (l) => hears(l, CALLER_HZ) && hears(l, AGENT_HZ), 20_000, 250);
      expect(lacks(listening, SUPERVISOR_HZ)).toBe(true);

      // Whisper: Anna hears the supervisor on her coaching call; the caller does not.
      await bar.getByRole('button', { name: 'Whisper' }).click();
      await bar.getByText(/Your microphone is on: Anna .* hears you/).waitFor({ timeout: 20_000 });
      await annaPage.getByText(/Coaching: .* is speaking to you/).waitFor({ timeout: 20_000 });
      const coached = await eventually(() => levelsOn(annaPage, 'coach'), (l) => hears(l, SUPERVISOR_HZ), 20_000, 250);
      expect(lacks(coached, CALLER_HZ)).toBe(true);
      const annaMain = await levelsOn(annaPage, 'main');
      expect(hears(annaMain, CALLER_HZ)).toBe(true);
      expect(lacks(annaMain, SUPERVISOR_HZ)).toBe(true);
      // Long enough for the supervisor to have reached the caller, were it going to: the caller hears Anna, never 880 Hz.
      const callerInWhisper = await eventually(
        async () => ({ heard: callerHeard(talking), coachBytes: (await annaPage.evaluate(() => window.__softphone?.sideCallStats('coach')))?.inboundBytes ?? 0 }),
        (w) => w.coachBytes > 16_000 && w.heard[AGENT_HZ]! > 0.5, 20_000, 250,
      );
      expect(callerInWhisper.heard[SUPERVISOR_HZ]).toBeLessThan(0.02);
      await supervisorWatched.screenshot('softphone-monitoring-whisper');
      await annaWatched!.screenshot('softphone-coached-whisper');

      // Barge: the caller hears Anna and the supervisor; Anna hears the caller and the supervisor.
      await bar.getByRole('button', { name: 'Barge' }).click();
      await bar.getByText('Your microphone is on: both the caller and the agent hear you').waitFor({ timeout: 20_000 });
      const callerInBarge = await eventually(() => callerHeard(talking), (b) => b[AGENT_HZ]! > 0.2 && b[SUPERVISOR_HZ]! > 0.2, 20_000, 250);
      expect(callerInBarge[CALLER_HZ]).toBeLessThan(0.05);
      await annaPage.getByText(/has joined the call: you and the caller both hear them/).waitFor({ timeout: 20_000 });
      const annaInBarge = await eventually(() => levelsOn(annaPage, 'coach'), (l) => hears(l, CALLER_HZ) && hears(l, SUPERVISOR_HZ), 20_000, 250);
      expect(lacks(annaInBarge, AGENT_HZ)).toBe(true);
      await supervisorWatched.screenshot('softphone-monitoring-barge');
      await annaWatched!.screenshot('softphone-coached-barge');

      // Listen again: the caller is with Anna alone, her coaching call and the supervisor's microphone are gone.
      await bar.getByRole('button', { name: 'Listen' }).click();
      await bar.getByText('Neither party hears you or is told.').waitFor({ timeout: 20_000 });
      await eventually(() => annaPage.evaluate(() => window.__softphone?.sideCalls().length ?? -1), (n) => n === 0, 20_000, 250);
      await eventually(() => supervisorPage.evaluate(() => window.__softphone?.sideCalls().length ?? -1), (n) => n === 0, 20_000, 250);
      const callerAfter = await eventually(() => callerHeard(talking), (b) => b[AGENT_HZ]! > 0.5 && b[SUPERVISOR_HZ]! < 0.02, 20_000, 250);
      expect(callerAfter[SUPERVISOR_HZ]).toBeLessThan(0.02);
      await eventually(() => levelsOn(annaPage, 'main'), (l) => hears(l, CALLER_HZ) && lacks(l, SUPERVISOR_HZ), 20_000, 250);

      // The caller hangs up: everything ends; the audit has each mode in order.
      await talking.hangUp();
      await bar.waitFor({ state: 'detached', timeout: 20_000 });
      const sessionOf = async (): Promise<{ state?: string; endReason?: string | null; modeHistory?: Array<{ mode: string }> } | undefined> =>
        ((await h.api('GET', '/api/call-monitoring/sessions?active=false', supervisor)).body.items as Array<{ id: string; state: string }>)
          .find((s) => s.id === started.body.id);
      const ended = await eventually(sessionOf, (s) => s?.state === 'ended', 20_000, 250);
      expect(ended).toMatchObject({ state: 'ended', endReason: 'call_ended' });
      expect(ended?.modeHistory?.map((m) => m.mode)).toEqual(['listen', 'whisper', 'barge', 'listen']);
      // The audit log tells the same story, each step by the supervisor (the end by the system: the caller hung up).
      const audit = await h.db.query<{ username: string; step: string | null; mode: string }>(
        "SELECT username, after->>'step' AS step, after->>'mode' AS mode FROM audit_log WHERE entity = 'monitoring session' AND entity_id = $1 ORDER BY id", [started.body.id],
      );
      expect(audit.rows.map((r) => [r.step, r.mode, r.username])).toEqual([
        [null, 'listen', 'head_wholesale'], ['answered', 'listen', 'head_wholesale'], ['mode', 'whisper', 'head_wholesale'],
        ['mode', 'barge', 'head_wholesale'], ['mode', 'listen', 'head_wholesale'], ['ended', 'listen', 'system'],
      ]);
    });
  }, 240_000);

  it('Anna holds the caller while the supervisor barges: the supervisor drops back to listen first (the system audits it), and after resume caller and Anna are paired again, without the supervisor', async () => {
    await withAnnaTalking(async ({ supervisor, talking, callId }) => {

      // The supervisor barges: the caller hears both Anna and the supervisor.
      const { started, bar } = await supervisorListens(supervisor, callId);
      await bar.getByRole('button', { name: 'Barge' }).click();
      await bar.getByText('Your microphone is on: both the caller and the agent hear you').waitFor({ timeout: 20_000 });
      await eventually(() => callerHeard(talking), (b) => b[AGENT_HZ]! > 0.2 && b[SUPERVISOR_HZ]! > 0.2, 20_000, 250);

      // Anna holds: the supervisor is back to listening before the hold goes through — the bar says Listen, the second calls are gone.
      await annaPage.getByRole('button', { name: /^Hold/ }).click();
      await annaPage.getByTestId('call-status').getByText('On hold — the caller hears music').waitFor({ timeout: 20_000 });
      await bar.getByText('Neither party hears you or is told.').waitFor({ timeout: 20_000 });
      await expect(bar.getByRole('button', { name: 'Listen' }).getAttribute('aria-pressed')).resolves.toBe('true');
      await eventually(() => annaPage.evaluate(() => window.__softphone?.sideCalls().length ?? -1), (n) => n === 0, 20_000, 250);
      await eventually(() => supervisorPage.evaluate(() => window.__softphone?.sideCalls().length ?? -1), (n) => n === 0, 20_000, 250);
      const sessionOf = async (active: boolean): Promise<{ state?: string; endReason?: string | null; modeHistory?: Array<{ mode: string }> } | undefined> =>
        ((await h.api('GET', `/api/call-monitoring/sessions?active=${String(active)}`, supervisor)).body.items as Array<{ id: string; state: string }>)
          .find((s) => s.id === started.body.id);
      const held = await sessionOf(true);
      expect(held?.modeHistory?.map((m) => m.mode)).toEqual(['listen', 'barge', 'listen']);
      await supervisorWatched.screenshot('softphone-monitoring-barge-dropped-by-hold');
      // Barging again while Anna holds the caller is refused (the caller would hear her); the session stays in listen.
      const bargeOnHold = await h.api('PATCH', `/api/call-monitoring/sessions/${started.body.id}`, supervisor, { mode: 'barge' });
      expect(bargeOnHold.status).toBe(409);
      expect(JSON.stringify(bargeOnHold.body)).toMatch(/holds the caller/);

      // Resume: Anna hears the caller on her own call again — the caller's media is paired with hers, not with a mixer
      // (while barging, her main call did not carry the caller) — and nobody hears the supervisor; the supervisor still
      // hears both. The caller's own ears cannot be read past a hold: baresip 1.0 discards every frame after rtpengine's
      // music changes the stream's SSRC and timestamps ("discard old frame"), whoever sends them, with or without monitoring.
      await annaPage.getByRole('button', { name: /^Resume/ }).click();
      await annaPage.getByTestId('call-status').getByText('In call').waitFor({ timeout: 20_000 });
      const annaResumed = await eventually(() => levelsOn(annaPage, 'main'), (l) => hears(l, CALLER_HZ) && lacks(l, SUPERVISOR_HZ), 20_000, 250);
      expect(hears(annaResumed, CALLER_HZ) && lacks(annaResumed, SUPERVISOR_HZ)).toBe(true);
      const supervisorResumed = await eventually(() => levelsOn(supervisorPage, 'main'), (l) => hears(l, CALLER_HZ) && hears(l, AGENT_HZ), 20_000, 250);
      expect(hears(supervisorResumed, CALLER_HZ) && hears(supervisorResumed, AGENT_HZ)).toBe(true);
      expect(await annaPage.evaluate(() => window.__softphone?.sideCalls().length ?? -1)).toBe(0);

      await talking.hangUp();
      await bar.waitFor({ state: 'detached', timeout: 20_000 });
      const ended = await eventually(() => sessionOf(false), (s) => s?.state === 'ended', 20_000, 250);
      expect(ended).toMatchObject({ state: 'ended', endReason: 'call_ended' });
      expect(ended?.modeHistory?.map((m) => m.mode)).toEqual(['listen', 'barge', 'listen']);
      // The drop to listen is the system's step, not the supervisor's.
      const audit = await h.db.query<{ username: string; step: string | null; mode: string }>(
        "SELECT username, after->>'step' AS step, after->>'mode' AS mode FROM audit_log WHERE entity = 'monitoring session' AND entity_id = $1 ORDER BY id", [started.body.id],
      );
      expect(audit.rows.map((r) => [r.step, r.mode, r.username])).toEqual([
        [null, 'listen', 'head_wholesale'], ['answered', 'listen', 'head_wholesale'], ['mode', 'barge', 'head_wholesale'],
        ['mode', 'listen', 'system'], ['ended', 'listen', 'system'],
      ]);
    });
  }, 240_000);
});
