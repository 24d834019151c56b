import { randomBytes } from 'node:crypto';
import { BargeBridge } from '../../../src/media/barge-bridge';
import { ConferenceMixer } from '../../../src/media/conference-mixer';
import { probeConferenceMixer } from '../../../src/media/gstreamer-probe';
import { MediaSession } from '../../../src/media/media-session';
import { MonitorFork } from '../../../src/media/monitor-fork';
import { MonitorTalkSource } from '../../../src/media/monitor-talk-source';
import { RtpengineNgClient } from '../../../src/media/rtpengine-ng-client';
import type { RunningService } from '../../../src/platform/managed-process';
import { eventually, quietPeriod } from '../../helpers/eventually';
import { startTestRtpengine } from '../../helpers/test-env';
import { mediaPort } from './rtp-test-endpoint';
import { ForkReceiver, TonePhone, bandShare } from './tone-endpoints';

const CALLER_HZ = 440;
const AGENT_HZ = 660;
const SUPERVISOR_HZ = 880;

/** At least 400 ms arrived and most of the last second is that tone. */
const carries = (samples: readonly number[], hz: number): boolean => samples.length >= 3200 && bandShare(samples, hz) > 0.5;
/** A mix "has" a tone when a clear share of its last second is that tone (two equal tones: about 0.5 each). */
const has = (samples: readonly number[], hz: number): boolean => samples.length >= 3200 && bandShare(samples, hz) > 0.2;
/** Nothing of a tone: below what G.711 noise and the other tones leave in its band. */
const lacks = (samples: readonly number[], hz: number): boolean => bandShare(samples, hz) < 0.01;

/** A full second of fresh audio at `stream`. */
async function freshSecond(stream: { samples: number[]; clear: () => void }): Promise<number[]> {
  stream.clear();
  return eventually(() => stream.samples.slice(0, 8000), (s) => s.length >= 8000);
}

/** Each tag of the call: its local RTP ports, and its links ("<x" subscribed to x, ">x" x subscribes to it, "<>x" both). */
async function tagsOf(ng: RtpengineNgClient, callId: string): Promise<Map<string, { ports: number[]; links: string[] }>> {
  const reply = await ng.command('query', { 'call-id': callId });
  const out = new Map<string, { ports: number[]; links: string[] }>();
  for (const [tag, value] of Object.entries(reply.tags as Record<string, QueriedTag>)) {
    const from = new Set((value.subscriptions ?? []).map((s) => s.tag));
    const to = new Set((value.subscribers ?? []).map((s) => s.tag));
    const links = [...new Set([...from, ...to])].sort().map((t) => `${from.has(t) ? '<' : ''}${to.has(t) ? '>' : ''}${t}`);
    const ports = (value.medias ?? []).flatMap((m) => (m.streams ?? []).map((st) => st['local port'])).filter((p): p is number => typeof p === 'number');
    out.set(tag, { ports, links });
  }
  return out;
}

interface QueriedTag {
  subscriptions?: Array<{ tag: string }>;
  subscribers?: Array<{ tag: string }>;
  medias?: Array<{ streams?: Array<{ 'local port'?: number }> }>;
}

/**
 * The first second of `stream` from now on that carries `hz`: on a loaded machine (two cores, parallel test runs)
 * a second may hold a late packet's gap, whose phase jump blurs the band, so the test waits for a clean one.
 */
async function nextSecondOf(stream: { samples: number[]; clear: () => void; last: (ms: number) => number[] }, hz: number): Promise<number[]> {
  stream.clear();
  return eventually(() => stream.last(1000), (s) => carries(s, hz));
}

function processGone(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe('whisper and barge (real rtpengine 10.5, real gst-launch-1.0, plain RTP endpoints)', () => {
  let rtpengine: RunningService & { ngPort: number };
  let ng: RtpengineNgClient;

  beforeAll(async () => {
    rtpengine = await startTestRtpengine();
    ng = new RtpengineNgClient({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 3000 });
  });
  afterAll(async () => {
    ng.close();
    await rtpengine.stop();
  });

  /** A bridged call (caller 440 Hz, agent 660 Hz) with the supervisor's talk leg (880 Hz) answered into it. */
  async function callWithSupervisor(): Promise<{
    session: MediaSession; caller: TonePhone; agent: TonePhone; supervisor: TonePhone; talk: MonitorTalkSource; callerTag: string; agentTag: string;
    release: () => Promise<void>;
  }> {
    const callId = `wb-${randomBytes(6).toString('hex')}@switchboard.test`;
    const callerTag = `c-${randomBytes(3).toString('hex')}`;
    const agentTag = `agent-${randomBytes(3).toString('hex')}`;
    const caller = await TonePhone.open(0x11111111);
    const agent = await TonePhone.open(0x22222222);
    const supervisor = await TonePhone.open(0x33333333);
    const session = new MediaSession({ ng, callId, caller: { tag: callerTag, kind: 'sip' } });
    const talk = new MonitorTalkSource({ ng, callId, tag: 'talk-1', kind: 'sip' });
    const release = async (): Promise<void> => {
      try {
        await talk.end().catch(() => undefined);
        await session.delete();
      } finally {
        await Promise.all([caller.close(), agent.close(), supervisor.close()]);
      }
    };
    try {
      await session.anchorCaller(caller.sdp(1));
      const toAgent = await session.offerToAgent('sip', agentTag);
      const bridge = await session.acceptAgentAnswer(agentTag, agent.sdp(2));
      caller.talk(mediaPort(bridge.callerSdp), CALLER_HZ);
      agent.talk(mediaPort(toAgent), AGENT_HZ);
      await eventually(() => agent.heard.last(1000), (s) => carries(s, CALLER_HZ));
      await eventually(() => caller.heard.last(1000), (s) => carries(s, AGENT_HZ));

      const offer = await talk.offer();
      // The supervisor's device is asked to send only, in plain RTP toward a SIP phone.
      expect(offer).toMatch(/^m=audio \d+ RTP\/AVP /m);
      expect(offer).toMatch(/^a=recvonly/m);
      expect(offer).not.toMatch(/a=ice-|a=fingerprint|a=crypto/);
      await talk.accept(supervisor.sdp(3, 'sendonly'));
      supervisor.talk(mediaPort(offer), SUPERVISOR_HZ);
    } catch (err) {
      await release();
      throw err;
    }
    return { session, caller, agent, supervisor, talk, callerTag, agentTag, release };
  }

  it('whisper: the coach leg hears the supervisor; the caller keeps hearing the agent only, the agent the caller', async () => {
    const call = await callWithSupervisor();
    const coach = await ForkReceiver.open(1);
    const fork = new MonitorFork({ ng, callId: call.session.callId, tag: 'coach-1', kind: 'sip' });
    try {
      const before = await tagsOf(ng, call.session.callId);
      await fork.accept(coach.answer(await fork.request([call.talk.tag]), 4));
      const [toAgent] = coach.streams;
      await eventually(() => toAgent?.last(1000) ?? [], (s) => carries(s, SUPERVISOR_HZ));
      expect([...(toAgent?.ssrcs ?? [])]).toEqual([call.supervisor.ssrc]);

      const callerHears = await nextSecondOf(call.caller.heard, AGENT_HZ);
      expect(carries(callerHears, AGENT_HZ)).toBe(true);
      expect(lacks(callerHears, SUPERVISOR_HZ)).toBe(true);
      const agentHears = await nextSecondOf(call.agent.heard, CALLER_HZ);
      expect(carries(agentHears, CALLER_HZ)).toBe(true);
      expect(lacks(agentHears, SUPERVISOR_HZ)).toBe(true);

      await fork.end();
      await call.talk.end();
      await call.talk.end();
      // Ending the talk leg leaves the call as it was.
      expect(carries(await nextSecondOf(call.caller.heard, AGENT_HZ), AGENT_HZ)).toBe(true);
      expect(carries(await nextSecondOf(call.agent.heard, CALLER_HZ), CALLER_HZ)).toBe(true);
      // 10.5 still lists the talk leg's two tags, linked with each other only, without ports; the caller and the agent as before.
      const left = await tagsOf(ng, call.session.callId);
      expect(left.get(call.talk.tag)).toEqual({ ports: [], links: [`<>${call.talk.sinkTag}`] });
      expect(left.get(call.talk.sinkTag)).toEqual({ ports: [], links: [`<>${call.talk.tag}`] });
      expect(left.get(call.callerTag)).toEqual(before.get(call.callerTag));
      expect(left.get(call.agentTag)).toEqual(before.get(call.agentTag));
    } finally {
      await fork.end().catch(() => undefined);
      await coach.close();
      await call.release();
    }
  });

  it('barge: the caller hears agent + supervisor, the coach leg caller + supervisor; end() restores the call and stops the mixer', async () => {
    const call = await callWithSupervisor();
    const coach = await ForkReceiver.open(1);
    const sdps = call.session.latestSdps;
    const bridge = new BargeBridge({
      ng, callId: call.session.callId, callerTag: call.callerTag, agentTag: call.agentTag, talkTag: call.talk.tag, tagPrefix: 'barge-1', agentKind: 'sip',
    });
    const fork = new MonitorFork({ ng, callId: call.session.callId, tag: 'coach-2', kind: 'sip' });
    try {
      const { coachSourceTag } = await bridge.start({ callerSdp: sdps.caller ?? '', agentSdp: sdps.agent ?? '' });
      await fork.accept(coach.answer(await fork.request([coachSourceTag]), 5));
      const [toAgent] = coach.streams;
      const callerHears = await eventually(() => call.caller.heard.last(1000), (s) => has(s, AGENT_HZ) && has(s, SUPERVISOR_HZ));
      const coachHears = await eventually(() => toAgent?.last(1000) ?? [], (s) => has(s, CALLER_HZ) && has(s, SUPERVISOR_HZ));
      // Mix-minus: nobody hears themselves.
      expect(lacks(callerHears, CALLER_HZ)).toBe(true);
      expect(lacks(coachHears, AGENT_HZ)).toBe(true);
      expect(has(callerHears, AGENT_HZ) && has(callerHears, SUPERVISOR_HZ)).toBe(true);
      expect(has(coachHears, CALLER_HZ) && has(coachHears, SUPERVISOR_HZ)).toBe(true);
      // The agent's main leg hears nothing while barging (the caller is paired with the mixer): the coach leg carries it all.
      call.agent.heard.clear();
      await quietPeriod(500, 'nothing must reach the agent\'s main leg');
      expect(call.agent.heard.packets).toBe(0);

      const pid = bridge.mixerProcess?.pid;
      await fork.end();
      await bridge.end();
      await bridge.end();
      expect(processGone(pid)).toBe(true);
      const callerAfter = await eventually(() => call.caller.heard.last(1000), (s) => carries(s, AGENT_HZ) && lacks(s, SUPERVISOR_HZ));
      expect(carries(callerAfter, AGENT_HZ) && lacks(callerAfter, SUPERVISOR_HZ)).toBe(true);
      expect(carries(await nextSecondOf(call.agent.heard, CALLER_HZ), CALLER_HZ)).toBe(true);
      // The caller is linked with the agent only again; the bridge's monologues hold no ports and no links.
      const left = await tagsOf(ng, call.session.callId);
      expect(left.get(call.callerTag)?.links).toEqual([`<>${call.agentTag}`]);
      for (const tag of ['barge-1-mixer', 'barge-1-agent-in', 'barge-1-talk-in', 'barge-1-to-agent']) expect([tag, left.get(tag)]).toEqual([tag, { ports: [], links: [] }]);
    } finally {
      await fork.end().catch(() => undefined);
      await bridge.end().catch(() => undefined);
      await coach.close();
      await call.release();
    }
  });
});

describe('conference mixer (real gst-launch-1.0)', () => {
  it('sends each output the mix of its inputs only, from the start, though an input is silent', async () => {
    const a = await TonePhone.open(0x44444444);
    const b = await TonePhone.open(0x55555555);
    let mixer: ConferenceMixer | null = null;
    try {
      mixer = await ConferenceMixer.start({
        inputs: ['a', 'b'],
        outputs: [
          { name: 'to_a', inputs: ['b'], host: '127.0.0.1', port: a.port },
          { name: 'to_b', inputs: ['a'], host: '127.0.0.1', port: b.port },
        ],
      });
      // b sends nothing yet: a's output flows (silence) and b's output carries a.
      a.talk(mixer.inputPort('a'), CALLER_HZ);
      await eventually(() => b.heard.last(1000), (s) => carries(s, CALLER_HZ));
      const aHearsSilence = await freshSecond(a.heard);
      expect(Math.max(...aHearsSilence.map(Math.abs))).toBeLessThan(100);
      b.talk(mixer.inputPort('b'), AGENT_HZ);
      const aHears = await eventually(() => a.heard.last(1000), (s) => carries(s, AGENT_HZ));
      expect(lacks(aHears, CALLER_HZ)).toBe(true);
      const bHears = await nextSecondOf(b.heard, CALLER_HZ);
      expect(carries(bHears, CALLER_HZ)).toBe(true);
      expect(lacks(bHears, AGENT_HZ)).toBe(true);
    } finally {
      await mixer?.stop();
      await Promise.all([a.close(), b.close()]);
    }
    expect(mixer.running).toBe(false);
  });

  it('is found by the capability probe here (gst-inspect-1.0 finds audiomixer and the RTP elements)', async () => {
    expect(await probeConferenceMixer()).toEqual({ available: true, missing: [] });
  });

  it('says which Debian package is missing when gst-launch-1.0 is not there', async () => {
    await expect(ConferenceMixer.start({ inputs: ['a'], outputs: [], command: '/nonexistent/gst-launch-1.0' }))
      .rejects.toMatchObject({ code: 'DEPENDENCY_DOWN', message: expect.stringContaining('gstreamer1.0-tools') });
  });
});
