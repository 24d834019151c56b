import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../../src/errors/app-error';
import { MediaSession } from '../../../src/media/media-session';
import { defaultPromptsDir } from '../../../src/media/prompt-audio';
import { RtpengineCallSweeper } from '../../../src/media/rtpengine-call-sweeper';
import { RtpengineNgClient, type NgCommand, type NgCommandSender, type NgParams, type NgReply } from '../../../src/media/rtpengine-ng-client';
import type { RunningService } from '../../../src/platform/managed-process';
import { startTestRtpengine } from '../../helpers/test-env';
import { RtpTestEndpoint, mediaPort, sleep } from './rtp-test-endpoint';

const CALLER = 0x0c0c0c0c;
const AGENT = 0x0a0a0a0a;
const TARGET = 0x0b0b0b0b;
const MUSIC = path.join(defaultPromptsDir(), 'en', 'goodbye.wav');

/** An ng sender that loses the `delete`s of chosen calls (rtpengine overloaded: no reply), passing everything else on. */
class LossyDeletes implements NgCommandSender {
  readonly deletesTried = new Map<string, number>();
  constructor(private readonly real: NgCommandSender, private readonly lose: (callId: string, attempt: number) => boolean) {}
  async command(name: NgCommand, params: NgParams): Promise<NgReply> {
    if (name === 'delete') {
      const callId = String(params['call-id']);
      const attempt = (this.deletesTried.get(callId) ?? 0) + 1;
      this.deletesTried.set(callId, attempt);
      if (this.lose(callId, attempt)) throw new AppError('DEPENDENCY_DOWN', 'rtpengine delete failed: timeout');
    }
    return this.real.command(name, params);
  }
}

describe('warm transfer media and rtpengine clean-up (real rtpengine, plain RTP endpoints)', () => {
  let rtpengine: RunningService & { ngPort: number };
  let ng: RtpengineNgClient;

  beforeAll(async () => {
    rtpengine = await startTestRtpengine();
    ng = new RtpengineNgClient({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 3000 });
  });
  afterAll(async () => {
    const listed = await ng.command('list', {});
    expect(listed.calls).toEqual([]);
    ng.close();
    await rtpengine.stop();
  });

  const listedCalls = async (): Promise<unknown[]> => ((await ng.command('list', {})).calls as unknown[]) ?? [];

  /**
   * Caller and agent bridged as the hotline does it (design §7): the agent is
   * a plain phone that keeps sending where its INVITE's SDP said (the
   * placeholder's socket).
   */
  async function bridgedCall(sender: NgCommandSender = ng, tracker?: RtpengineCallSweeper) {
    const callId = `consult-${randomBytes(6).toString('hex')}`;
    const caller = await RtpTestEndpoint.open(CALLER);
    const agent = await RtpTestEndpoint.open(AGENT);
    const target = await RtpTestEndpoint.open(TARGET);
    const session = new MediaSession({
      ng: sender, callId, caller: { tag: `c-${randomBytes(3).toString('hex')}`, kind: 'sip' },
      ...(tracker ? { tracker } : {}), deleteRetry: { attempts: 3, backoffMs: 20 },
    });
    const callerAnswer = await session.anchorCaller(caller.sdp({ sessionId: 1 }));
    const agentOffer = await session.offerToAgent('sip', 'agent-a');
    await session.acceptAgentAnswer('agent-a', agent.sdp({ sessionId: 2 }));
    return {
      session, caller, agent, target, callId,
      callerPort: mediaPort(callerAnswer), agentPort: mediaPort(agentOffer),
      close: async () => {
        await session.delete().catch(() => undefined);
        await Promise.all([caller.close(), agent.close(), target.close()]);
      },
    };
  }

  /** Both send 25 packets at once; returns when they are in. */
  async function talk(pairs: Array<[RtpTestEndpoint, number]>): Promise<number> {
    const start = Date.now();
    await Promise.all(pairs.map(([endpoint, port]) => endpoint.sendAudio(port, 25)));
    await sleep(150);
    return start;
  }

  it('consult: the caller hears only music while agent and consulted party talk; completing pairs the caller with the consulted party', async () => {
    const call = await bridgedCall();
    try {
      const { session, caller, agent, target } = call;
      let since = await talk([[caller, call.callerPort], [agent, call.agentPort]]);
      expect(agent.receivedSince(since, CALLER).length).toBeGreaterThanOrEqual(20);
      expect(caller.receivedSince(since, AGENT).length).toBeGreaterThanOrEqual(20);

      await session.startConsult(MUSIC);
      const targetOffer = await session.offerToConsulted({ tag: 'consult-b', kind: 'sip' });
      expect(session.state).toBe('consulting');
      const agentReinvite = await session.consultAnswered(target.sdp({ sessionId: 3 }));
      await session.consultAgentAnswered(agent.sdp({ sessionId: 2, version: 2 }));
      const targetPort = mediaPort(targetOffer);
      const agentPort = mediaPort(agentReinvite);

      since = await talk([[caller, call.callerPort], [agent, agentPort], [target, targetPort]]);
      expect(target.receivedSince(since, AGENT).length).toBeGreaterThanOrEqual(20);
      expect(agent.receivedSince(since, TARGET).length).toBeGreaterThanOrEqual(20);
      // Neither hears the caller, and the caller hears neither of them: only the music.
      expect(agent.receivedSince(since, CALLER)).toHaveLength(0);
      expect(target.receivedSince(since, CALLER)).toHaveLength(0);
      expect(caller.receivedSince(since, AGENT)).toHaveLength(0);
      expect(caller.receivedSince(since, TARGET)).toHaveLength(0);
      expect(caller.receivedSince(since).length).toBeGreaterThanOrEqual(15);
      expect((await session.counters()).consulted?.rtp.packets).toBeGreaterThanOrEqual(25);

      const bridge = await session.completeConsult();
      expect(session.state).toBe('bridged');
      expect(session.agentLeg).toEqual({ tag: 'consult-b', kind: 'sip' });
      expect(bridge.callerSdp).toMatch(/a=sendrecv/);
      await sleep(100);
      // Nobody re-INVITEd: caller and consulted party keep the ports they had.
      since = await talk([[caller, call.callerPort], [agent, agentPort], [target, targetPort]]);
      expect(target.receivedSince(since, CALLER).length).toBeGreaterThanOrEqual(20);
      expect(caller.receivedSince(since, TARGET).length).toBeGreaterThanOrEqual(20);
      expect(caller.receivedSince(since, AGENT)).toHaveLength(0);
      expect(agent.receivedSince(since, CALLER)).toHaveLength(0);
      const counters = await session.counters();
      expect(counters.agent?.rtp.packets).toBeGreaterThanOrEqual(50);
    } finally {
      await call.close();
    }
  });

  it('cancelled consult: the consulted party is cut off and caller and agent hear each other again, without music', async () => {
    const call = await bridgedCall();
    try {
      const { session, caller, agent, target } = call;
      await session.startConsult(MUSIC);
      const targetOffer = await session.offerToConsulted({ tag: 'consult-b', kind: 'sip' });
      const agentPort = mediaPort(await session.consultAnswered(target.sdp({ sessionId: 3 })));
      await session.consultAgentAnswered(agent.sdp({ sessionId: 2, version: 2 }));
      await session.cancelConsult();
      expect(session.state).toBe('bridged');
      expect(session.agentLeg?.tag).toBe('agent-a');
      await sleep(100);
      const since = await talk([[caller, call.callerPort], [agent, agentPort], [target, mediaPort(targetOffer)]]);
      expect(agent.receivedSince(since, CALLER).length).toBeGreaterThanOrEqual(20);
      expect(caller.receivedSince(since, AGENT).length).toBeGreaterThanOrEqual(20);
      expect(target.receivedSince(since, CALLER)).toHaveLength(0);
      expect(target.receivedSince(since, AGENT)).toHaveLength(0);
      // The music stopped: all the caller gets is the agent.
      expect(caller.receivedSince(since).filter((p) => p.rtp?.ssrc !== AGENT)).toHaveLength(0);
    } finally {
      await call.close();
    }
  });

  it('a consult nobody answered is called off: the agent, still on the placeholder socket, is heard again', async () => {
    const call = await bridgedCall();
    try {
      const { session, caller, agent } = call;
      await session.startConsult(MUSIC);
      // A browser softphone is rung first, then (after its ring-no-answer) a desk phone: each gets an offer written for it.
      expect(await session.offerToConsulted({ tag: 'consult-web', kind: 'webrtc' })).toMatch(/UDP\/TLS\/RTP\/SAVPF/);
      expect(await session.offerToConsulted({ tag: 'consult-b', kind: 'sip' })).toMatch(/m=audio \d+ RTP\/AVP /);
      let since = await talk([[caller, call.callerPort], [agent, call.agentPort]]);
      expect(caller.receivedSince(since, AGENT)).toHaveLength(0);
      await session.cancelConsult();
      await sleep(100);
      since = await talk([[caller, call.callerPort], [agent, call.agentPort]]);
      expect(agent.receivedSince(since, CALLER).length).toBeGreaterThanOrEqual(20);
      expect(caller.receivedSince(since, AGENT).length).toBeGreaterThanOrEqual(20);
    } finally {
      await call.close();
    }
  });

  it('refuses consult steps out of order', async () => {
    const call = await bridgedCall();
    try {
      await expect(call.session.completeConsult()).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
      await call.session.startConsult(MUSIC);
      await expect(call.session.consultAnswered(call.target.sdp({ sessionId: 3 }))).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
      await expect(call.session.completeConsult()).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
      await expect(call.session.reoffer('agent', call.agent.sdp({ sessionId: 2, version: 9, direction: 'sendonly' }))).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    } finally {
      await call.close();
    }
  });

  it('a delete that timed out once is retried, and the call is gone from rtpengine', async () => {
    const lossy = new LossyDeletes(ng, (_callId, attempt) => attempt === 1);
    const sweeper = new RtpengineCallSweeper({ ng });
    const call = await bridgedCall(lossy, sweeper);
    try {
      expect(await listedCalls()).toContain(call.callId);
      expect(sweeper.liveCount).toBe(1);
      await call.session.delete();
      expect(lossy.deletesTried.get(call.callId)).toBe(2);
      expect(await listedCalls()).not.toContain(call.callId);
      expect(sweeper.liveCount).toBe(0);
      expect(sweeper.pending).toEqual([]);
    } finally {
      await call.close();
    }
  });

  it('when every delete times out, the sweeper deletes the call later, and forgets calls rtpengine dropped itself', async () => {
    const lossy = new LossyDeletes(ng, () => true);
    const sweeper = new RtpengineCallSweeper({ ng });
    const call = await bridgedCall(lossy, sweeper);
    try {
      await expect(call.session.delete()).rejects.toMatchObject({ code: 'DEPENDENCY_DOWN' });
      expect(lossy.deletesTried.get(call.callId)).toBe(3);
      expect(sweeper.pending).toEqual([call.callId]);
      expect(await listedCalls()).toContain(call.callId);
      expect(await sweeper.sweep()).toEqual({ lost: 0, deleted: 1, gone: 0, failed: 0 });
      expect(await listedCalls()).not.toContain(call.callId);
      expect(sweeper.pending).toEqual([]);

      // A pending call rtpengine no longer lists is simply forgotten.
      sweeper.deleteFailed('never-existed@switchboard.test');
      expect(await sweeper.sweep()).toEqual({ lost: 0, deleted: 0, gone: 1, failed: 0 });
      expect(sweeper.pending).toEqual([]);
    } finally {
      await call.close();
    }
  });

  it('a live call rtpengine drops on its own (as after its restart or media timeout) is reported lost, once; one it holds is not', async () => {
    const sweeper = new RtpengineCallSweeper({ ng, settleMs: 0 });
    const lost: string[] = [];
    sweeper.onMediaLost((callId) => lost.push(callId));
    const kept = await bridgedCall(ng, sweeper);
    const dropped = await bridgedCall(ng, sweeper);
    try {
      expect(await sweeper.sweep()).toMatchObject({ lost: 0 });
      // rtpengine forgets the call without our session deleting it.
      await ng.command('delete', { 'call-id': dropped.callId, 'delete-delay': 0 });
      expect(await sweeper.sweep()).toMatchObject({ lost: 1 });
      expect(lost).toEqual([dropped.callId]);
      expect(await sweeper.sweep()).toMatchObject({ lost: 0 });
      expect(sweeper.liveCount).toBe(1);
      expect(await listedCalls()).toContain(kept.callId);
    } finally {
      await kept.close();
      await dropped.close();
    }
  });
});
