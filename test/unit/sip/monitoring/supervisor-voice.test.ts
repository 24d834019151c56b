import { EventEmitter } from 'node:events';
import type { AppError } from '../../../../src/errors/app-error';
import { createRootLogger } from '../../../../src/logger';
import type { NgCommand, NgParams, NgReply } from '../../../../src/media/rtpengine-ng-client';
import type { MonitoredCall } from '../../../../src/sip/monitoring/monitored-call';
import { SupervisorVoice } from '../../../../src/sip/monitoring/supervisor-voice';
import type { SrfApp } from '../../../../src/sip/srf-types';

/** A softphone's answered side call as drachtio-srf hands it back. */
class FakeDialog extends EventEmitter {
  readonly remote = { sdp: 'v=0\r\nm=audio 4000 UDP/TLS/RTP/SAVPF 111\r\na=sendonly\r\n' };
  byes = 0;
  constructor(readonly uri: string) {
    super();
  }
  destroy(_opts: unknown, done: (err?: unknown) => void): void {
    this.byes++;
    done();
  }
}

const SUPERVISOR_PHONE = 'sip:sup@127.0.0.1:5070;transport=ws';
const AGENT_PHONE = 'sip:anna@127.0.0.1:5080;transport=ws';

/** The voice of a whisper/barge over fakes: which INVITEs went where, what rtpengine was asked; the agent's phone may refuse. */
function voiceHarness(options: { agentRefuses?: boolean; agentKind?: 'webrtc' | 'sip' } = {}) {
  const commands: Array<{ name: NgCommand; params: NgParams }> = [];
  const dialogs: FakeDialog[] = [];
  const invites: Array<{ uri: string; kind: string }> = [];
  const lost: string[] = [];
  /** Where the call stands: a test moves it (a hold, a consult) between changes. */
  const standing = { mediaChanging: false, consulting: false, agentLeft: false, onHold: false };
  const call: MonitoredCall = {
    mediaCallId: 'media-1', engine: null, callerTag: 'caller-tag', agentTag: 'agent-tag', agentStaffId: 7, agentKind: options.agentKind ?? 'webrtc',
    latestSdps: () => ({ caller: 'v=0\r\n', agent: 'v=0\r\n' }), callerNumber: '+74951000001', ended: new Promise<void>(() => undefined),
    beforeMediaChange: () => () => undefined, standing: () => standing,
  };
  const ng = {
    command: (name: NgCommand, params: NgParams): Promise<NgReply> => {
      commands.push({ name, params });
      const sdp = 'v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 30000 UDP/TLS/RTP/SAVPF 111\r\na=mid:1\r\n';
      return Promise.resolve(name === 'offer' || name === 'subscribeRequest' ? { result: 'ok', sdp } : { result: 'ok' });
    },
  };
  const srf = {
    createUAC: (uri: string, opts: { headers: Record<string, string> }) => {
      invites.push({ uri, kind: opts.headers['X-Switchboard-Monitor'] ?? '' });
      if (uri === AGENT_PHONE && options.agentRefuses) return Promise.reject(Object.assign(new Error('486 Busy Here'), { status: 486 }));
      const dialog = new FakeDialog(uri);
      dialogs.push(dialog);
      return Promise.resolve(dialog);
    },
  } as unknown as SrfApp;
  const voice = new SupervisorVoice({
    srf, ng, call, sessionId: 's-1', supervisorKind: 'webrtc',
    supervisorUris: () => Promise.resolve([SUPERVISOR_PHONE]), agentUris: () => Promise.resolve([AGENT_PHONE]),
    callLabel: 'Anna Petrova ↔ +74951000001', supervisorName: 'Maria Head', onLost: (detail) => lost.push(detail),
    log: createRootLogger('silent'), ringTimeoutMs: 2000,
  });
  return { voice, commands, dialogs, invites, lost, standing };
}

const codeOf = async (promise: Promise<unknown>): Promise<string> => promise.then(() => 'resolved', (err: AppError) => err.code);

describe('SupervisorVoice: the supervisor\'s voice over the talk and coach calls (fakes for SIP and rtpengine)', () => {
  it('whisper: a talk call to the supervisor\'s softphone, then a coach call to the agent\'s subscribed to the talk tag; back to listen ends both', async () => {
    const { voice, commands, dialogs, invites } = voiceHarness();
    await voice.apply('whisper', 'listen');
    expect(invites).toEqual([{ uri: SUPERVISOR_PHONE, kind: 'talk; session=s-1' }, { uri: AGENT_PHONE, kind: 'coach; session=s-1; mode=whisper' }]);
    const coachRequest = commands.find((c) => c.name === 'subscribeRequest');
    expect(coachRequest?.params).toMatchObject({ 'from-tags': ['talk-s-1'] });
    await voice.apply('listen', 'whisper');
    expect(dialogs.map((d) => d.byes)).toEqual([1, 1]);
    expect(commands.filter((c) => c.name === 'unsubscribe').map((c) => c.params['to-tag'])).toEqual([coachRequest?.params['to-tag']]);
  });

  it('when the agent\'s phone refuses the coach call, the talk call goes too and the mode stays as it was', async () => {
    const { voice, dialogs, commands } = voiceHarness({ agentRefuses: true });
    await expect(codeOf(voice.apply('whisper', 'listen'))).resolves.toBe('NO_DEVICE');
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]?.byes).toBe(1);
    // The talk source's monologues are released in rtpengine.
    expect(commands.filter((c) => c.name === 'delete').map((c) => c.params['from-tag'])).toEqual(['talk-s-1', 'talk-s-1-sink']);
    // Nothing is left to end afterwards.
    await voice.close();
    expect(dialogs[0]?.byes).toBe(1);
  });

  it('refuses whisper for an agent on a desk phone before ringing anyone', async () => {
    const { voice, invites, commands } = voiceHarness({ agentKind: 'sip' });
    await expect(voice.apply('whisper', 'listen')).rejects.toThrow(/agent on the browser softphone/);
    expect(invites).toEqual([]);
    expect(commands).toEqual([]);
  });

  it('a talk call the supervisor\'s phone ends by itself is reported, our own hang-ups are not', async () => {
    const { voice, dialogs, lost } = voiceHarness();
    await voice.apply('whisper', 'listen');
    dialogs[1]?.emit('destroy');
    expect(lost).toEqual(['the agent\'s phone ended the coaching call']);
    await voice.close();
    dialogs[0]?.emit('destroy');
    expect(lost).toHaveLength(1);
  });

  it('refuses barge while the call is changing or consulting, and while the caller is held, before ringing or asking rtpengine anything; listen always goes', async () => {
    const { voice, invites, commands, standing } = voiceHarness();
    standing.consulting = true;
    expect(await codeOf(voice.apply('barge', 'listen'))).toBe('ILLEGAL_TRANSITION');
    standing.consulting = false;
    standing.onHold = true;
    expect(await codeOf(voice.apply('barge', 'listen'))).toBe('ILLEGAL_TRANSITION');
    expect(invites).toEqual([]);
    expect(commands).toEqual([]);
    // Whisper on hold is fine: the caller hears none of it.
    await voice.apply('whisper', 'listen');
    standing.mediaChanging = true;
    await voice.apply('listen', 'whisper');
    expect(invites.map((i) => i.kind.split(';')[0])).toEqual(['talk', 'coach']);
  });
});
