import { readFileSync } from 'node:fs';
import { parseWav } from '../../src/media/wav-file';
import { startBaresipCaller, type BaresipCaller } from '../helpers/baresip-caller';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { bandShares, lastMs } from '../helpers/tone-bands';
import { startToneDeskPhone } from '../helpers/tone-desk-phone';

const MARKET_CLIENT = '+74951000001';
const CALLER_HZ = 440;
const AGENT_HZ = 660;
/** A tone neither party sends (a supervisor's, in the whisper and barge tests): a band that must stay empty here. */
const OTHER_HZ = 880;
const BANDS = [CALLER_HZ, AGENT_HZ, OTHER_HZ];

/** One channel of a 16-bit WAV (0 = the caller in the call's recording, 1 = the operator). */
function channel(wav: Buffer, which: 0 | 1): Int16Array {
  const info = parseWav(wav);
  const frames = Math.floor(info.dataBytes / (info.channels * 2));
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) out[i] = wav.readInt16LE(info.dataOffset + (i * info.channels + which) * 2);
  return out;
}

// The caller whose ears a test can read (test/helpers/baresip-caller.ts): a real SIP phone, baresip, dials the
// hotline over UDP From a market client's number, talks 440 Hz, presses 1 in the IVR and reaches Anna's sipp desk
// phone (660 Hz) through drachtio-server and rtpengine; what it recorded hearing is Anna's tone, and the call's
// recording has the caller's tone on the caller's side.
describeWithDrachtio('a baresip caller through the hotline (drachtio-server, rtpengine, sipp, baresip, Redis, Postgres)', () => {
  let h: SystemHarness;
  const staff: Record<string, number> = {};

  beforeAll(async () => {
    h = await startSystemHarness();
    const { rows } = await h.db.query<{ username: string; staff_id: number }>('SELECT username, staff_id FROM users WHERE staff_id IS NOT NULL');
    for (const row of rows) staff[row.username] = row.staff_id;
    // Anna alone takes the operators' queue.
    for (const other of ['ion', 'olga']) {
      await h.api('POST', `/api/agents/${staff[other]}/state`, await h.login(other, 'demo-pass-1'), { state: 'not_ready', reason: 'break' });
    }
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('dials the hotline, presses 1, hears Anna\'s 660 Hz and nothing of its own 440 Hz; the recording has 440 Hz on the caller\'s side; its hang-up ends the call', async () => {
    const startedAt = new Date();
    const anna = await h.login('anna', 'demo-pass-1');
    const annaPhone = await startToneDeskPhone({ target: h.sipTarget, user: 'anna', password: 'demo-pass-1', hz: AGENT_HZ, ssrc: 0x0a6e0660 });
    await h.api('POST', `/api/agents/${staff.anna}/state`, anna, { state: 'ready' });
    let caller: BaresipCaller | undefined;
    try {
      caller = await startBaresipCaller({ target: h.sipTarget, from: MARKET_CLIENT, toneHz: CALLER_HZ, steps: [{ pauseMs: 2500 }, { digits: '1' }] });
      await caller.connected;
      await caller.stepsDone;
      const onCall = await eventually(() => h.api('GET', `/api/agents/${staff.anna}`, anna), (r) => r.body.state === 'on_call', 30_000, 250);
      expect(onCall.body.state).toBe('on_call');

      // The caller's ears: the last 2 s it heard are Anna's tone, with nothing of its own or of a third party. (Waiting
      // for 2 s of her also keeps the call up long enough for the recording's check below.)
      const heardCaller = caller;
      const heard = await eventually(() => bandShares(lastMs(heardCaller.heard(), 2000), BANDS), (b) => b[AGENT_HZ]! > 0.9, 15_000, 250);
      expect(heard[AGENT_HZ]).toBeGreaterThan(0.9);
      expect(heard[CALLER_HZ]).toBeLessThan(0.02);
      expect(heard[OTHER_HZ]).toBeLessThan(0.02);

      await caller.hangUp();
      expect(await annaPhone.done).toBe(0);
      const call = await eventually(
        async () => (await h.db.query("SELECT * FROM calls WHERE started_at >= $1 AND direction = 'inbound' ORDER BY started_at DESC LIMIT 1", [startedAt])).rows[0],
        (row) => row?.ended_at != null, 15_000, 250,
      );
      expect(call).toMatchObject({ caller_e164: MARKET_CLIENT, outcome: 'answered', hangup_side: 'caller', agent_id: staff.anna });
      expect(call.ended_at).toBeInstanceOf(Date);
      // The key reached the IVR as the caller's own DTMF (baresip's RFC 4733 telephone-event), one press.
      const events = (await h.db.query('SELECT type, data FROM call_events WHERE call_id = $1 ORDER BY seq', [call.id])).rows as Array<{ type: string; data: { digit?: string } }>;
      expect(events.filter((e) => e.type === 'dtmf').map((e) => e.data.digit)).toEqual(['1']);

      // What reached the server from the caller (sipp, Anna's phone, cannot record): the recording's caller side.
      const recording = (await h.db.query('SELECT file_path FROM recordings WHERE id = $1', [call.recording_id])).rows[0] as { file_path: string } | undefined;
      expect(recording).toBeDefined();
      const wav = readFileSync(recording!.file_path);
      const callerSide = channel(wav, 0);
      const agentSide = channel(wav, 1);
      // The last 2 s of the call: both parties talking, after the IVR.
      const recorded = { caller: bandShares(lastMs(callerSide, 2000), BANDS), agent: bandShares(lastMs(agentSide, 2000), BANDS) };
      expect(recorded.caller[CALLER_HZ]).toBeGreaterThan(0.9);
      expect(recorded.agent[AGENT_HZ]).toBeGreaterThan(0.9);
      expect(recorded.caller[AGENT_HZ]).toBeLessThan(0.02);
      expect(recorded.agent[CALLER_HZ]).toBeLessThan(0.02);
      await h.expectNothingLeft();
    } finally {
      await caller?.stop();
      annaPhone.stop();
      await h.api('POST', `/api/agents/${staff.anna}/wrap-up/end`, anna).catch(() => undefined);
    }
  }, 120_000);
});
