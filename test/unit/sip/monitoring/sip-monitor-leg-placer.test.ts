import { EventEmitter } from 'node:events';
import type { MonitorLegRequest } from '../../../../src/call-monitoring/monitor-leg';
import type { AppError } from '../../../../src/errors/app-error';
import { createRootLogger } from '../../../../src/logger';
import { singleMediaEngine } from '../../../../src/media/media-engine';
import type { NgCommand, NgParams, NgReply } from '../../../../src/media/rtpengine-ng-client';
import type { MonitoredCall } from '../../../../src/sip/monitoring/monitored-call';
import { SipMonitorLegPlacer } from '../../../../src/sip/monitoring/sip-monitor-leg-placer';
import type { ContactBinding } from '../../../../src/sip/registration-store';
import type { SrfApp } from '../../../../src/sip/srf-types';

/** The supervisor's phone as drachtio-srf hands it back once answered. */
class FakeDialog extends EventEmitter {
  readonly remote = { sdp: 'v=0\r\nm=audio 4000 RTP/AVP 8\r\na=recvonly\r\n' };
  byes = 0;
  destroy(_opts: unknown, done: (err?: unknown) => void): void {
    this.byes++;
    done();
  }
}

function harness(options: { live?: boolean; contacts?: number; announceFile?: string | null; mixer?: boolean } = {}) {
  const commands: Array<{ name: NgCommand; params: NgParams }> = [];
  const invites: Array<{ uri: string; headers: Record<string, string>; sdp: string }> = [];
  const dialog = new FakeDialog();
  let endCall = (): void => undefined;
  const standing = { mediaChanging: false, consulting: false, agentLeft: false, onHold: false };
  const call: MonitoredCall = {
    mediaCallId: 'media-1', engine: null, callerTag: 'caller-tag', agentTag: 'agent-tag', agentStaffId: 7, agentKind: 'sip', latestSdps: () => ({ caller: null, agent: null }), callerNumber: '+74951000001',
    ended: new Promise<void>((resolve) => (endCall = resolve)), beforeMediaChange: () => () => undefined, standing: () => standing,
  };
  const ng = {
    command: (name: NgCommand, params: NgParams): Promise<NgReply> => {
      commands.push({ name, params });
      return Promise.resolve(name === 'subscribeRequest' ? { result: 'ok', sdp: 'v=0\r\nm=audio 1 RTP/AVP 8\r\na=sendonly\r\nm=audio 2 RTP/AVP 8\r\na=sendonly\r\n' } : { result: 'ok' });
    },
  };
  const srf = {
    createUAC: (uri: string, opts: { localSdp: string; headers: Record<string, string> }) => {
      invites.push({ uri, headers: opts.headers, sdp: opts.localSdp });
      return Promise.resolve(dialog);
    },
  } as unknown as SrfApp;
  const contact = (n: number): ContactBinding => ({ staffId: 3, username: 'sup', key: `k${n}`, uri: `sip:sup@127.0.0.1:${5070 + n}`, transport: 'udp' } as ContactBinding);
  const placer = new SipMonitorLegPlacer({
    srf, calls: { monitored: (id) => (options.live === false || id !== 'call-1' ? null : call) },
    media: singleMediaEngine({ id: 'udp://127.0.0.1:22222', ng, recordingDir: '/tmp' }),
    contactsOf: () => Promise.resolve(Array.from({ length: options.contacts ?? 1 }, (_, n) => contact(n))),
    staffName: (id) => Promise.resolve(id === 7 ? 'Anna Petrova' : null), logger: createRootLogger('silent'),
    announceFile: options.announceFile === undefined ? '/prompts/monitor-tone.wav' : options.announceFile,
    mixer: () => Promise.resolve(options.mixer ? { available: true, missing: [] } : { available: false, missing: ['gstreamer1.0-plugins-base'] }),
  });
  return { placer, commands, invites, dialog, endCall };
}

const request = (mode: MonitorLegRequest['mode'] = 'listen'): MonitorLegRequest => ({ sessionId: 's-1', callId: 'call-1', mode, supervisorStaffId: 3, announce: false });
const codeOf = async (promise: Promise<unknown>): Promise<string> => promise.then(() => 'resolved', (err: AppError) => err.code);

describe('SipMonitorLegPlacer (decisions and clean-up; ringing through fakes)', () => {
  it('offers barge only where the conference mixer is installed, and refuses what cannot be carried before anything is asked of rtpengine', async () => {
    const { placer, commands, invites } = harness();
    await expect(placer.supportedModes()).resolves.toEqual(['listen', 'whisper']);
    await expect(harness({ mixer: true }).placer.supportedModes()).resolves.toEqual(['listen', 'whisper', 'barge']);
    await expect(placer.place(request('barge'))).rejects.toThrow(/gstreamer1.0-plugins-base/);
    // The supervisor's phones here are desk phones: whisper's talk call needs the browser softphone.
    const onDeskPhone = placer.place(request('whisper'));
    await expect(codeOf(onDeskPhone)).resolves.toBe('MONITOR_MODE_UNSUPPORTED');
    await expect(onDeskPhone).rejects.toThrow(/supervisor on the browser softphone/);
    expect(commands).toEqual([]);
    expect(invites).toEqual([]);
  });

  it('refuses a call that is not live here (CALL_NOT_LIVE) and a supervisor without a phone (NO_DEVICE)', async () => {
    await expect(codeOf(harness({ live: false }).placer.place(request()))).resolves.toBe('CALL_NOT_LIVE');
    const noPhone = harness({ contacts: 0 });
    await expect(codeOf(noPhone.placer.place(request()))).resolves.toBe('NO_DEVICE');
    expect(noPhone.commands).toEqual([]);
  });

  it('forks both parties to every phone of the supervisor, marked for auto-answer, and answers the fork with the phone\'s SDP', async () => {
    const { placer, commands, invites, dialog } = harness({ contacts: 2 });
    const leg = await placer.place(request());
    expect(commands.map((c) => c.name)).toEqual(['subscribeRequest', 'subscribeAnswer']);
    expect(commands[0]?.params).toMatchObject({ 'call-id': 'media-1', 'from-tags': ['caller-tag', 'agent-tag'], 'to-tag': 'monitor-s-1', 'transport-protocol': 'RTP/AVP' });
    expect(commands[1]?.params).toMatchObject({ 'to-tag': 'monitor-s-1', sdp: dialog.remote.sdp });
    expect(invites).toHaveLength(2);
    expect(invites[0]?.headers).toMatchObject({
      'X-Switchboard-Monitor': 'listen; session=s-1', 'X-Switchboard-Monitor-Label': encodeURIComponent('Anna Petrova ↔ +74951000001'),
      'Call-Info': '<sip:monitor@switchboard.invalid>;answer-after=0',
    });
    expect(invites[0]?.headers).not.toHaveProperty('X-Switchboard-Call-Id');
    await leg.stop();
  });

  it('with the site\'s announce policy both parties get the tone once the supervisor is on; without a tone file nothing rings', async () => {
    const { placer, commands } = harness();
    const leg = await placer.place({ ...request(), announce: true });
    expect(commands.filter((c) => c.name === 'playMedia').map((c) => [c.params['from-tag'], c.params.file]))
      .toEqual([['caller-tag', '/prompts/monitor-tone.wav'], ['agent-tag', '/prompts/monitor-tone.wav']]);
    expect(commands.findIndex((c) => c.name === 'playMedia')).toBeGreaterThan(commands.findIndex((c) => c.name === 'subscribeAnswer'));
    await leg.stop();

    const toneless = harness({ announceFile: null });
    await expect(codeOf(toneless.placer.place({ ...request(), announce: true }))).resolves.toBe('DEPENDENCY_DOWN');
    expect(toneless.invites).toEqual([]);
  });

  it('ends once when the supervisor hangs up: unsubscribed, no BYE of our own', async () => {
    const { placer, commands, dialog } = harness();
    const leg = await placer.place(request());
    dialog.emit('destroy');
    await expect(leg.ended).resolves.toEqual({ reason: 'supervisor_hung_up' });
    await leg.stop();
    expect(commands.filter((c) => c.name === 'unsubscribe')).toHaveLength(1);
    expect(dialog.byes).toBe(0);
  });

  it('hangs the supervisor up when the monitored call ends, and on stop', async () => {
    const ended = harness();
    const leg = await ended.placer.place(request());
    ended.endCall();
    await expect(leg.ended).resolves.toEqual({ reason: 'call_ended' });
    expect(ended.dialog.byes).toBe(1);
    expect(ended.commands.filter((c) => c.name === 'unsubscribe')).toHaveLength(1);

    const stopped = harness();
    const other = await stopped.placer.place(request());
    await other.stop();
    await expect(other.ended).resolves.toEqual({ reason: 'stopped' });
    expect(stopped.dialog.byes).toBe(1);
    await expect(codeOf(other.changeMode('listen'))).resolves.toBe('CALL_NOT_LIVE');
  });
});
