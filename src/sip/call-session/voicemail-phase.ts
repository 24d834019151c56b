import { randomUUID } from 'node:crypto';
import {
  VOICEMAIL_END_DIGIT, isKeptVoicemail, type NewVoicemail, type VoicemailOwner, type VoicemailStop,
} from '../../calls/voicemail';
import { DIRECT_QUEUE_ID } from '../../directory/acd-profiles';
import { subscribeCallerDigits } from './caller-leg';
import { startCallRecording } from './call-teardown';
import type { CallEnd, InboundContext } from './inbound-context';

/** The greeting before the tone (prompt catalogue id, in the caller's language). */
export const VOICEMAIL_GREETING_PROMPT = 'voicemail_greeting';

/**
 * Whose message a caller leaving `queueId` records: the person they were
 * routed to when the queue is the direct one (a person who did not answer),
 * else the queue.
 */
export function voicemailOwnerFor(ctx: Pick<InboundContext, 'decision'>, queueId: string): VoicemailOwner {
  const target = ctx.decision?.target;
  if (queueId === DIRECT_QUEUE_ID && target?.kind === 'person') return { kind: 'staff', staffId: target.staffId };
  return { kind: 'queue', queue: queueId };
}

/**
 * The voicemail phase (issue 17): the caller hears the greeting ("leave your
 * message after the tone") and the tone, then is recorded — the call's
 * rtpengine recording, so the message becomes a WAV and a recordings row
 * when the call ends and is purged with the recordings — until they press
 * #, hang up, or reach the longest message. The message is stored for its
 * owner, the caller thanked and hung up on.
 *
 * Call it on an answered call that no longer waits in the ACD (the caller of
 * this phase takes them out and says why on the record); it ends the call
 * and returns how. Without voicemail configured (no store), the caller hears
 * goodbye instead.
 */
export async function leaveVoicemail(ctx: InboundContext, owner: VoicemailOwner): Promise<CallEnd> {
  const settings = ctx.services.voicemail;
  const media = ctx.media;
  const callerLeft: CallEnd = { side: 'caller', cause: 'BYE' };
  if (ctx.callerGone.fired) return callerLeft;
  if (!settings || !media || media.state !== 'anchored') {
    ctx.log.warn({ owner, media: media?.state ?? null }, 'voicemail is not available: the caller hears goodbye');
    return sayGoodbye(ctx, 'voicemail not available');
  }
  await media.stopPlayback();
  await ctx.playAndWait(ctx.promptFile(VOICEMAIL_GREETING_PROMPT));
  await ctx.playAndWait(settings.beepFile);
  if (ctx.callerGone.fired) return callerLeft;

  const startedAt = Date.now();
  let offsetMs = 0;
  if (ctx.recording) {
    // Recorded before (a call an agent had answered, then sent on): the message is the recording's tail.
    await media.startRecording();
    offsetMs = Math.max(0, startedAt - ctx.recording.startedAt.getTime());
  } else {
    ctx.recording = await startCallRecording(media, ctx.recorder);
    ctx.checkpointer?.changed();
  }
  ctx.log.info({ owner, maxLengthMs: settings.maxLengthMs }, 'recording a voicemail');
  const stop = await messageEnd(ctx, settings.maxLengthMs);
  const durationMs = Date.now() - startedAt;
  // The goodbye is not part of the message.
  if (stop !== 'hangup' && media.state === 'anchored') await media.stopRecording().catch((err: unknown) => ctx.log.warn({ err }, 'could not stop the voicemail recording'));

  const kept = isKeptVoicemail(durationMs, stop);
  ctx.recorder.note('note', { voicemail: { owner: ownerLabel(owner), durationMs, endedBy: stop, kept } });
  if (kept) {
    const message: NewVoicemail = {
      id: randomUUID(), callId: ctx.id, recordingId: ctx.recording.id, offsetMs,
      callerNumber: ctx.callerE164 ?? ctx.callerNumber, clientId: ctx.client?.id ?? null,
      owner, recordedAt: new Date(startedAt), durationMs, endedBy: stop,
    };
    try {
      await settings.store.add(message);
    } catch (err) {
      // The audio is still saved with the call when it ends; the call's record says a message was left.
      ctx.log.error({ err, voicemailId: message.id }, 'voicemail could not be stored');
    }
  }
  if (stop === 'hangup') return callerLeft;
  return sayGoodbye(ctx, kept ? 'voicemail left' : 'voicemail: nothing said');
}

function ownerLabel(owner: VoicemailOwner): string {
  return owner.kind === 'queue' ? `queue ${owner.queue}` : `staff ${owner.staffId}`;
}

async function sayGoodbye(ctx: InboundContext, cause: string): Promise<CallEnd> {
  const media = ctx.media;
  if (media?.state === 'anchored') await media.stopPlayback().catch(() => undefined);
  await ctx.playAndWait(ctx.goodbyeFile ?? ctx.promptFile('goodbye'));
  if (ctx.callerGone.fired) return { side: 'caller', cause: 'BYE' };
  ctx.hangUp(ctx.uas);
  return { side: 'system', cause };
}

/** Waits for the end of the message: # pressed, the caller gone, or the longest message reached. */
async function messageEnd(ctx: InboundContext, maxLengthMs: number): Promise<VoicemailStop> {
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: () => void = () => undefined;
  try {
    return await Promise.race([
      new Promise<VoicemailStop>((resolve) => {
        unsubscribe = subscribeCallerDigits(ctx, (digit) => {
          if (digit === VOICEMAIL_END_DIGIT) resolve('hash');
        });
      }),
      ctx.callerGone.promise.then((): VoicemailStop => 'hangup'),
      new Promise<VoicemailStop>((resolve) => (timer = setTimeout(() => resolve('max_length'), maxLengthMs))),
    ]);
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}
