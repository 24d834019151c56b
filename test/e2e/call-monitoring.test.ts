import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { tonePcap } from '../../bench/floor/floor-tone';
import { freeTcpPort } from '../../src/platform/managed-process';
import type { WatchedPage } from '../helpers/browser';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { callerScenario, freeMediaPort, registerPhone, runSipp, sippListening, startSippPhone } from '../helpers/sipp';
import { answerCall, awaitBye, playAudio, scenario } from '../helpers/sipp-scenario';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { afterSoftphoneTests, openSignedInSoftphone, takeOffTheQueue } from './softphone-kit';

const MARKET_CLIENT = '+74951000001';
const CALLER_HZ = 440;
const AGENT_HZ = 660;

declare global {
  interface Window {
    /** The analyser the test puts on the page's monitoring audio (measureBands). */
    __monitorAnalyser?: AnalyserNode;
  }
}

/** Levels (dB) the page's FFT shows at each tone and at bands between and around them. */
interface Bands {
  tracks: number;
  caller: number;
  agent: number;
  between: number;
  above: number;
}

/**
 * What the supervisor's page hears: every remote audio track of the call on
 * its phone goes into one WebAudio analyser (the browser mixes them, as it
 * does for the <audio> elements the softphone plays them on), and the
 * strongest FFT bin near each frequency is read.
 */
function measureBands(page: Page): Promise<Bands> {
  return page.evaluate(({ callerHz, agentHz }) => {
    const tracks = (window.__softphone as unknown as { remoteTracks(): MediaStreamTrack[] } | undefined)?.remoteTracks() ?? [];
    if (!window.__monitorAnalyser && tracks.length > 0) {
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0.5;
      for (const track of tracks) context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
      window.__monitorAnalyser = analyser;
    }
    const analyser = window.__monitorAnalyser;
    if (!analyser) return { tracks: tracks.length, caller: -200, agent: -200, between: -200, above: -200 };
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    const hzPerBin = analyser.context.sampleRate / analyser.fftSize;
    const peak = (hz: number, width = 15): number => {
      let best = -Infinity;
      for (let b = Math.floor((hz - width) / hzPerBin); b <= Math.ceil((hz + width) / hzPerBin); b++) best = Math.max(best, bins[b] ?? -Infinity);
      return best;
    };
    return { tracks: tracks.length, caller: peak(callerHz), agent: peak(agentHz), between: peak((callerHz + agentHz) / 2, 30), above: peak(1100, 30) };
  }, { callerHz: CALLER_HZ, agentHz: AGENT_HZ });
}

/** Bytes received on the monitoring call's peer connection, over every inbound audio stream. */
function inboundAudio(page: Page): Promise<{ streams: number; bytes: number }> {
  return page.evaluate(async () => {
    const pc = window.__softphone?.peerConnection();
    if (!pc) return { streams: 0, bytes: -1 };
    let streams = 0;
    let bytes = 0;
    (await pc.getStats()).forEach((report: { type: string; kind?: string; bytesReceived?: number }) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') {
        streams++;
        bytes += report.bytesReceived ?? 0;
      }
    });
    return { streams, bytes };
  });
}

// Issue 18 point 1: a supervisor listens to a live hotline call from their browser softphone. A sipp caller (440 Hz)
// talks through drachtio-server and rtpengine with Anna's sipp desk phone (660 Hz); rtpengine forks both to the
// supervisor's softphone (subscribe request), which hears both tones while neither party is told.
describeWithDrachtio('call monitoring: a supervisor listens from the browser softphone (drachtio-server, rtpengine, sipp, Chromium, Redis, Postgres)', () => {
  let h: SystemHarness;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  let pcaps: string;
  const staff: Record<string, number> = {};

  beforeAll(async () => {
    pcaps = mkdtempSync(path.join(os.tmpdir(), 'switchboard-monitor-'));
    // Each party its own SSRC, as real phones have: the browser sorts what arrives by SSRC, across the two sections.
    writeFileSync(path.join(pcaps, 'caller.pcap'), tonePcap({ hz: CALLER_HZ, seconds: 40, ssrc: 0x0ca11e40 }));
    writeFileSync(path.join(pcaps, 'agent.pcap'), tonePcap({ hz: AGENT_HZ, seconds: 40, ssrc: 0x0a6e0660 }));
    h = await startSystemHarness();
    // The wholesale department's head supervises the floor here: a supervisor with a staff record and a SIP login.
    await h.db.query("UPDATE users SET role = 'supervisor' WHERE username = 'head_wholesale'");
    const { rows } = await h.db.query<{ username: string; staff_id: number }>('SELECT username, staff_id FROM users WHERE staff_id IS NOT NULL');
    for (const row of rows) staff[row.username] = row.staff_id;
    await takeOffTheQueue(h, staff, ['ion', 'olga'], 'demo-pass-1');
    ({ browser, watched, page } = await openSignedInSoftphone(h, 'head_wholesale', 'demo-pass-1'));
  }, 180_000);

  afterSoftphoneTests(() => ({ h, browser, watched }));
  afterAll(() => rmSync(pcaps, { recursive: true, force: true }));

  it('listen: the supervisor\'s softphone answers by itself, receives both parties (440 Hz and 660 Hz), shows whom it listens to, and lets go when the call ends', async () => {
    const anna = await h.login('anna', 'demo-pass-1');
    const supervisor = await h.login('head_wholesale', 'demo-pass-1');
    const phonePort = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: phonePort, user: 'anna', password: 'demo-pass-1' })).toBe(0);
    await h.api('POST', `/api/agents/${staff.anna}/state`, anna, { state: 'ready' });
    const annaPhone = startSippPhone({
      scenario: scenario(`${answerCall()}\n${playAudio(path.join(pcaps, 'agent.pcap'))}\n${awaitBye(90_000)}`),
      port: phonePort, mediaPort: await freeMediaPort(), timeoutSeconds: 120,
    });
    await sippListening('127.0.0.1', phonePort);
    try {
      const callerDone = runSipp({
        scenario: callerScenario({
          from: MARKET_CLIENT, to: 'hotline',
          steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 1500 }, { audioFile: path.join(pcaps, 'caller.pcap') }, { pauseMs: 25_000 }, { hangUp: true }],
        }),
        target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 120,
      });

      const onCall = await eventually(() => h.api('GET', `/api/agents/${staff.anna}`, anna), (r) => r.body.state === 'on_call' && typeof r.body.callId === 'string', 30_000, 250);
      const callId = onCall.body.callId as string;

      const started = await h.api('POST', '/api/call-monitoring/sessions', supervisor, { callId, mode: 'listen' });
      expect({ status: started.status, body: started.status === 201 ? 'created' : started.body }).toEqual({ status: 201, body: 'created' });

      // The softphone answered by itself and says whom it listens to.
      const bar = page.getByTestId('monitoring-bar');
      await bar.getByText(/Listening to Anna .* ↔ \+74951000001/).waitFor({ timeout: 20_000 });
      await bar.getByText('Neither party hears you or is told.').waitFor({ timeout: 15_000 });

      // Media reaches the page: two inbound audio streams (one per party), their bytes rising.
      const first = await eventually(() => inboundAudio(page), (a) => a.streams === 2 && a.bytes > 0, 15_000, 250);
      const later = await eventually(() => inboundAudio(page), (a) => a.bytes > first.bytes + 8000, 15_000, 250);
      expect(later.streams).toBe(2);

      // Both tones are heard, each well above the bands between and above them.
      const heard = await eventually(
        () => measureBands(page),
        (b) => b.tracks === 2 && b.caller > b.between + 20 && b.agent > b.between + 20 && b.caller > b.above + 20 && b.agent > b.above + 20,
        15_000, 250,
      );
      await watched.screenshot('softphone-monitoring-listen');
      expect(heard.tracks).toBe(2);
      expect(heard.caller - heard.between).toBeGreaterThan(20);
      expect(heard.agent - heard.between).toBeGreaterThan(20);
      expect(heard.caller - heard.above).toBeGreaterThan(20);
      expect(heard.agent - heard.above).toBeGreaterThan(20);

      // Anna talks on a desk phone: whisper cannot reach her (its coaching call is one only the browser softphone takes
      // by itself during a call), and the refusal says so; the supervisor keeps listening.
      const whisper = await h.api('PATCH', `/api/call-monitoring/sessions/${started.body.id}`, supervisor, { mode: 'whisper' });
      expect(whisper.status).toBe(501);
      expect(whisper.body.error).toMatchObject({ code: 'MONITOR_MODE_UNSUPPORTED' });
      expect(JSON.stringify(whisper.body.error)).toMatch(/agent on the browser softphone/);
      expect((await inboundAudio(page)).streams).toBe(2);

      // The caller hangs up: the call ends for everyone, the supervisor's leg with it.
      const caller = await callerDone;
      expect(caller.errors).toBe('');
      expect(caller.successful).toBe(1);
      expect(await annaPhone.done).toBe(0);
      await page.getByTestId('monitoring-bar').waitFor({ state: 'detached', timeout: 15_000 });
      await page.evaluate(() => {
        delete window.__monitorAnalyser;
      });
      // The session is on record as ended with the call.
      const sessionOf = async (): Promise<{ state?: string; endReason?: string | null } | undefined> =>
        ((await h.api('GET', '/api/call-monitoring/sessions?active=false', supervisor)).body.items as Array<{ id: string; state: string; endReason: string | null }>)
          .find((s) => s.id === started.body.id);
      const ended = await eventually(sessionOf, (s) => s?.state === 'ended', 15_000, 250);
      expect(ended).toMatchObject({ state: 'ended', endReason: 'call_ended' });
    } finally {
      annaPhone.stop();
      await h.api('POST', `/api/agents/${staff.anna}/wrap-up/end`, anna).catch(() => undefined);
    }
  }, 180_000);
});
