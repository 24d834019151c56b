import { randomBytes } from 'node:crypto';
import { MediaSession } from '../../../src/media/media-session';
import { MonitorFork } from '../../../src/media/monitor-fork';
import { RtpengineNgClient } from '../../../src/media/rtpengine-ng-client';
import type { RunningService } from '../../../src/platform/managed-process';
import { eventually } from '../../helpers/eventually';
import { startTestRtpengine } from '../../helpers/test-env';
import { mediaPort } from './rtp-test-endpoint';
import { ForkReceiver, TonePhone, bandShare } from './tone-endpoints';

const CALLER_HZ = 440;
const AGENT_HZ = 660;
const SUPERVISOR_HZ = 880;

/** A stream "carries" a tone when at least 400 ms of it arrived and most of its last second is that tone. */
const carries = (samples: readonly number[], hz: number): boolean => samples.length >= 3200 && bandShare(samples, hz) > 0.5;

describe('monitoring fork (real rtpengine 10.5, plain RTP endpoints)', () => {
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

  /** A bridged call: the caller talks 440 Hz, the agent 660 Hz, through rtpengine. */
  async function talkingCall(): Promise<{ session: MediaSession; caller: TonePhone; agent: TonePhone; callerTag: string; agentTag: string; release: () => Promise<void> }> {
    const callId = `mon-${randomBytes(6).toString('hex')}@switchboard.test`;
    const callerTag = `c-${randomBytes(3).toString('hex')}`;
    const agentTag = `agent-${randomBytes(3).toString('hex')}`;
    const caller = await TonePhone.open(0x11111111);
    const agent = await TonePhone.open(0x22222222);
    const session = new MediaSession({ ng, callId, caller: { tag: callerTag, kind: 'sip' } });
    const release = async (): Promise<void> => {
      try {
        await session.delete();
      } finally {
        await Promise.all([caller.close(), agent.close()]);
      }
    };
    try {
      await session.anchorCaller(caller.sdp(1));
      const toAgent = await session.offerToAgent('sip', agentTag);
      const bridge = await session.acceptAgentAnswer(agentTag, agent.sdp(2));
      caller.talk(mediaPort(bridge.callerSdp), CALLER_HZ);
      agent.talk(mediaPort(toAgent), AGENT_HZ);
      // The call itself works before anyone listens in.
      await eventually(() => agent.heard.last(1000), (s) => carries(s, CALLER_HZ));
      await eventually(() => caller.heard.last(1000), (s) => carries(s, AGENT_HZ));
    } catch (err) {
      await release();
      throw err;
    }
    return { session, caller, agent, callerTag, agentTag, release };
  }

  it('forks both parties to the supervisor as one sendonly m= section each, and stops on unsubscribe', async () => {
    const call = await talkingCall();
    const supervisor = await ForkReceiver.open(2);
    const fork = new MonitorFork({ ng, callId: call.session.callId, tag: 'monitor-1', kind: 'sip' });
    try {
      const offer = await fork.request([call.callerTag, call.agentTag]);
      // 10.5 does not mix: two sections, sendonly, plain RTP toward a SIP device.
      expect(offer.match(/^m=audio \d+ RTP\/AVP /gm)).toHaveLength(2);
      expect(offer.match(/^a=sendonly/gm)).toHaveLength(2);
      expect(offer).not.toMatch(/a=ice-|a=fingerprint|a=crypto/);
      // The `mix` flag (one section for all sources, rtpengine mr26.1) is unknown to 10.5: still one section per party.
      const mixed = await ng.command('subscribeRequest', { 'call-id': call.session.callId, 'from-tags': [call.callerTag, call.agentTag], 'to-tag': 'mix-probe', 'transport-protocol': 'RTP/AVP', flags: ['mix'] });
      expect(String(mixed.sdp).match(/^m=audio /gm)).toHaveLength(2);
      await fork.accept(supervisor.answer(offer, 3));

      const [callerStream, agentStream] = supervisor.streams;
      await eventually(() => callerStream?.last(1000) ?? [], (s) => carries(s, CALLER_HZ));
      await eventually(() => agentStream?.last(1000) ?? [], (s) => carries(s, AGENT_HZ));
      expect(carries(callerStream?.last(1000) ?? [], CALLER_HZ)).toBe(true);
      expect(carries(agentStream?.last(1000) ?? [], AGENT_HZ)).toBe(true);
      // Each section carries its party only: the sources' own SSRCs, no mixing.
      expect([...(callerStream?.ssrcs ?? [])]).toEqual([call.caller.ssrc]);
      expect([...(agentStream?.ssrcs ?? [])]).toEqual([call.agent.ssrc]);
      // Neither party hears anything new: still just each other.
      expect(carries(call.agent.heard.last(1000), CALLER_HZ)).toBe(true);
      expect(carries(call.caller.heard.last(1000), AGENT_HZ)).toBe(true);

      await fork.end();
      supervisor.streams.forEach((s) => s.clear());
      const afterEnd = await eventually(() => supervisor.streams.map((s) => s.packets), (counts) => counts.every((n) => n === 0), 1500);
      expect(afterEnd).toEqual([0, 0]);
      await fork.end();
    } finally {
      await fork.end().catch(() => undefined);
      await supervisor.close();
      await call.release();
    }
  });

  // The README says a second `subscribe request` on a to-tag deletes that tag's subscriptions first. In 10.5.3.5 the
  // offer shrinks to the new sources, but the old source keeps flowing: both parties' packets, two SSRCs, interleaved on
  // the one section left — unplayable. So MonitorFork never reuses a tag: a change of what is forked is a new fork.
  it('10.5: a second subscribe request on the same to-tag does NOT stop the first sources (two SSRCs on one section)', async () => {
    const call = await talkingCall();
    const supervisor = await ForkReceiver.open(1);
    try {
      const first = await ng.command('subscribeRequest', { 'call-id': call.session.callId, 'from-tags': [call.callerTag, call.agentTag], 'to-tag': 'monitor-2', 'transport-protocol': 'RTP/AVP' });
      expect(String(first.sdp).match(/^m=audio /gm)).toHaveLength(2);
      const again = await ng.command('subscribeRequest', { 'call-id': call.session.callId, 'from-tags': [call.agentTag], 'to-tag': 'monitor-2', 'transport-protocol': 'RTP/AVP' });
      expect(String(again.sdp).match(/^m=audio /gm)).toHaveLength(1);
      await ng.command('subscribeAnswer', { 'call-id': call.session.callId, 'to-tag': 'monitor-2', sdp: supervisor.answer(String(again.sdp), 4) });
      const [only] = supervisor.streams;
      const ssrcs = await eventually(() => [...(only?.ssrcs ?? [])].sort(), (seen) => seen.length >= 2);
      expect(ssrcs).toEqual([call.caller.ssrc, call.agent.ssrc].sort());
      // Interleaved, the section carries neither tone cleanly.
      expect(carries(only?.last(1000) ?? [], AGENT_HZ)).toBe(false);
    } finally {
      await supervisor.close();
      await call.release();
    }
  });

  it('transcodes a fork to a codec the call does not use when asked (codec transcode + allow transcoding)', async () => {
    const call = await talkingCall();
    const supervisor = await ForkReceiver.open(1);
    try {
      const offer = await ng.command('subscribeRequest', {
        'call-id': call.session.callId, 'from-tags': [call.callerTag], 'to-tag': 'monitor-3', 'transport-protocol': 'RTP/AVP', codec: { transcode: ['PCMU'] },
      });
      expect(String(offer.sdp)).toMatch(/a=rtpmap:0 PCMU\/8000/);
      const pcmuOnly = supervisor.answer(String(offer.sdp), 5).replace('RTP/AVP 8', 'RTP/AVP 0').replace('a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000');
      await ng.command('subscribeAnswer', { 'call-id': call.session.callId, 'to-tag': 'monitor-3', sdp: pcmuOnly, flags: ['allow transcoding'] });
      const [stream] = supervisor.streams;
      await eventually(() => stream?.last(1000) ?? [], (s) => carries(s, CALLER_HZ));
      expect(carries(stream?.last(1000) ?? [], CALLER_HZ)).toBe(true);
    } finally {
      await supervisor.close();
      await call.release();
    }
  });

  it('whisper as 10.5 can carry it: the supervisor publishes, a second leg to the agent subscribes to it; the caller never hears it', async () => {
    const call = await talkingCall();
    const supervisorPhone = await TonePhone.open(0x33333333);
    const agentSecondLeg = await ForkReceiver.open(1);
    try {
      const published = await ng.command('publish', { 'call-id': call.session.callId, 'from-tag': 'supervisor-1', sdp: supervisorPhone.sdp(6, 'sendonly'), 'transport-protocol': 'RTP/AVP' });
      expect(String(published.sdp)).toMatch(/a=recvonly/);
      supervisorPhone.talk(mediaPort(String(published.sdp)), SUPERVISOR_HZ);
      const whisper = new MonitorFork({ ng, callId: call.session.callId, tag: 'whisper-1', kind: 'sip' });
      const offer = await whisper.request(['supervisor-1']);
      await whisper.accept(agentSecondLeg.answer(offer, 7));
      const [toAgent] = agentSecondLeg.streams;
      await eventually(() => toAgent?.last(1000) ?? [], (s) => carries(s, SUPERVISOR_HZ));
      expect(carries(toAgent?.last(1000) ?? [], SUPERVISOR_HZ)).toBe(true);
      // The caller hears the agent, never the supervisor.
      call.caller.heard.clear();
      await eventually(() => call.caller.heard.samples.length, (n) => n >= 8000);
      expect(carries(call.caller.heard.last(1000), AGENT_HZ)).toBe(true);
      expect(bandShare(call.caller.heard.samples, SUPERVISOR_HZ)).toBeLessThan(0.01);
      await whisper.end();
    } finally {
      await supervisorPhone.close();
      await agentSecondLeg.close();
      await call.release();
    }
  });
});
