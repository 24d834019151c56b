import type { NewVoicemail } from '../../../../src/calls/voicemail';
import type { DtmfEvent } from '../../../../src/media/dtmf-event';
import type { DtmfListener } from '../../../../src/media/dtmf-listener';
import { newCallMedia } from '../../../../src/sip/call-session/call-media';
import { InboundContext } from '../../../../src/sip/call-session/inbound-context';
import { leaveVoicemail, voicemailOwnerFor } from '../../../../src/sip/call-session/voicemail-phase';
import type { RouteDecision } from '../../../../src/routing/route-decision';
import { fakeCallWorld, fakeRequest, fakeResponse, FakeDialog, sdp, type FakeCallWorld } from '../../../fakes/call-session-fakes';
import { quietPeriod, untilPasses } from '../../../helpers/eventually';
import { DIRECTORY } from '../../routing/routing-fixtures';

/**
 * The voicemail phase on fakes of rtpengine and drachtio: what the caller
 * hears, what is recorded, what is stored, how the call ends.
 */

interface Harness {
  world: FakeCallWorld;
  ctx: InboundContext;
  stored: NewVoicemail[];
  callerLeg: FakeDialog;
  /** Sends a digit as rtpengine's DTMF log would, from the caller's leg. */
  press: (digit: string) => void;
}

async function answeredCall(options: { maxLengthMs?: number; noVoicemail?: boolean; failStore?: boolean } = {}): Promise<Harness> {
  const world = fakeCallWorld(DIRECTORY);
  const stored: NewVoicemail[] = [];
  const subscribers = new Set<(event: DtmfEvent) => void>();
  world.services.dtmf = {
    subscribe: (_callId: string, onEvent: (event: DtmfEvent) => void) => {
      subscribers.add(onEvent);
      return () => subscribers.delete(onEvent);
    },
  } as unknown as DtmfListener;
  if (!options.noVoicemail) {
    world.services.voicemail = {
      store: {
        add: (message) => {
          if (options.failStore) return Promise.reject(new Error('postgres away'));
          stored.push(message);
          return Promise.resolve();
        },
      },
      maxLengthMs: options.maxLengthMs ?? 60_000,
      beepFile: '/prompts/beep.wav',
    };
  }
  const req = fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74951234567@trunk>;tag=caller-tag', 'Call-ID': 'sip-vm-1' } });
  const ctx = new InboundContext(world.services, req, fakeResponse(), null);
  ctx.callerE164 = '+74951234567';
  ctx.promptFile = (id) => `/prompts/en/${id}.wav`;
  ctx.goodbyeFile = '/prompts/en/goodbye.wav';
  const media = newCallMedia(world.services, 'sip-vm-1', { tag: 'caller-tag', kind: 'sip' }, ctx.log);
  await media.anchorCaller(sdp(5000));
  ctx.media = media;
  const callerLeg = new FakeDialog({ sdp: sdp(5000) });
  ctx.uas = callerLeg as unknown as InboundContext['uas'];
  callerLeg.on('destroy', () => ctx.callerGone.resolve('BYE'));
  const press = (digit: string): void => {
    for (const s of subscribers) s({ callId: 'sip-vm-1', digit, sourceTag: 'caller-tag', at: Date.now(), source: 'rfc4733' } as DtmfEvent);
  };
  return { world, ctx, stored, callerLeg, press };
}

const played = (world: FakeCallWorld): string[] => world.ng.sent.filter((c) => c.name === 'playMedia').map((c) => String(c.params.file));
const recordingCommands = (world: FakeCallWorld): string[] => world.ng.names().filter((n) => n === 'startRecording' || n === 'stopRecording');

describe('the voicemail phase', () => {
  it('greeting, tone, recorded until #: stored for the queue with the caller and the recording, the goodbye unrecorded, then hung up', async () => {
    const { world, ctx, stored, callerLeg, press } = await answeredCall();
    const ended = leaveVoicemail(ctx, { kind: 'queue', queue: 'operators' });
    await untilPasses(() => Promise.resolve(expect(recordingCommands(world)).toEqual(['startRecording'])));
    expect(played(world)).toEqual(['/prompts/en/voicemail_greeting.wav', '/prompts/beep.wav']);
    await quietPeriod(600, 'the caller speaks for longer than the shortest message kept');
    press('5');
    expect(recordingCommands(world)).toEqual(['startRecording']);
    press('#');
    await expect(ended).resolves.toEqual({ side: 'system', cause: 'voicemail left' });
    expect(recordingCommands(world)).toEqual(['startRecording', 'stopRecording']);
    // The goodbye comes after the recording stopped.
    const names = world.ng.sent.map((c) => (c.name === 'playMedia' ? String(c.params.file) : c.name));
    expect(names.indexOf('/prompts/en/goodbye.wav')).toBeGreaterThan(names.indexOf('stopRecording'));
    expect(callerLeg.byes).toBe(1);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      callId: ctx.id, recordingId: ctx.recording?.id, offsetMs: 0, callerNumber: '+74951234567', clientId: null,
      owner: { kind: 'queue', queue: 'operators' }, endedBy: 'hash',
    });
    expect(stored[0]!.durationMs).toBeGreaterThanOrEqual(500);
    expect(ctx.recorder.events.some((e) => e.type === 'recording_started')).toBe(true);
  });

  it('the caller hangs up while speaking: the message is kept, nothing more is played, nobody hangs up on them', async () => {
    const { world, ctx, stored, callerLeg } = await answeredCall();
    const ended = leaveVoicemail(ctx, { kind: 'staff', staffId: 7 });
    await untilPasses(() => Promise.resolve(expect(recordingCommands(world)).toEqual(['startRecording'])));
    await quietPeriod(600, 'the caller speaks for longer than the shortest message kept');
    ctx.callerGone.resolve('BYE');
    await expect(ended).resolves.toEqual({ side: 'caller', cause: 'BYE' });
    expect(stored).toMatchObject([{ owner: { kind: 'staff', staffId: 7 }, endedBy: 'hangup' }]);
    expect(played(world)).not.toContain('/prompts/en/goodbye.wav');
    expect(callerLeg.byes).toBe(0);
  });

  it('the longest message reached: recording stopped there, the message kept', async () => {
    const { world, ctx, stored } = await answeredCall({ maxLengthMs: 50 });
    await expect(leaveVoicemail(ctx, { kind: 'queue', queue: 'operators' })).resolves.toMatchObject({ side: 'system' });
    expect(recordingCommands(world)).toEqual(['startRecording', 'stopRecording']);
    expect(stored).toMatchObject([{ endedBy: 'max_length' }]);
  });

  it('# at once after the tone leaves no message', async () => {
    const { world, ctx, stored, press } = await answeredCall();
    const ended = leaveVoicemail(ctx, { kind: 'queue', queue: 'operators' });
    await untilPasses(() => Promise.resolve(expect(recordingCommands(world)).toEqual(['startRecording'])));
    press('#');
    await expect(ended).resolves.toEqual({ side: 'system', cause: 'voicemail: nothing said' });
    expect(stored).toEqual([]);
  });

  it('a store that fails does not keep the caller: thanked and hung up all the same', async () => {
    const { ctx, callerLeg } = await answeredCall({ maxLengthMs: 600, failStore: true });
    await expect(leaveVoicemail(ctx, { kind: 'queue', queue: 'operators' })).resolves.toEqual({ side: 'system', cause: 'voicemail left' });
    expect(callerLeg.byes).toBe(1);
  });

  it('without voicemail configured the caller hears goodbye and is hung up on; nothing is recorded', async () => {
    const { world, ctx, callerLeg } = await answeredCall({ noVoicemail: true });
    await expect(leaveVoicemail(ctx, { kind: 'queue', queue: 'operators' })).resolves.toEqual({ side: 'system', cause: 'voicemail not available' });
    expect(played(world)).toEqual(['/prompts/en/goodbye.wav']);
    expect(recordingCommands(world)).toEqual([]);
    expect(callerLeg.byes).toBe(1);
  });

  it('a message for the direct queue is the person the caller was routed to; any other queue owns its own', () => {
    const person = { target: { kind: 'person', staffId: 12 } } as unknown as RouteDecision;
    expect(voicemailOwnerFor({ decision: person }, 'direct')).toEqual({ kind: 'staff', staffId: 12 });
    expect(voicemailOwnerFor({ decision: person }, 'operators')).toEqual({ kind: 'queue', queue: 'operators' });
    expect(voicemailOwnerFor({ decision: null }, 'direct')).toEqual({ kind: 'queue', queue: 'direct' });
  });
});
