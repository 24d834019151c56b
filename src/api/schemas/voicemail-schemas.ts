import { Type, type Static } from '@sinclair/typebox';
import { CALLBACK_RESULTS } from '../../calls/abandoned-calls';
import { Nullable, StringEnum } from './common-schemas';

/* Voicemail and the abandoned-calls list (issue 17 points 3 and 4). */

const Owner = Type.Union([
  Type.Object({ kind: Type.Literal('queue'), queue: Type.String() }),
  Type.Object({ kind: Type.Literal('staff'), staffId: Type.Integer() }),
]);

/** A message as the softphone lists it. */
export const VoicemailItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  callId: Type.String({ format: 'uuid' }),
  recordingId: Type.String({ format: 'uuid' }),
  offsetMs: Type.Integer({ description: 'where the message starts in the recording' }),
  callerNumber: Type.String(),
  clientId: Nullable(Type.Integer()),
  clientName: Nullable(Type.String()),
  owner: Owner,
  recordedAt: Type.String({ format: 'date-time' }),
  durationMs: Type.Integer(),
  endedBy: Type.Union([Type.Literal('hash'), Type.Literal('hangup'), Type.Literal('max_length')]),
  doneAt: Nullable(Type.String({ format: 'date-time' })),
  doneBy: Nullable(Type.Integer()),
  doneByName: Nullable(Type.String()),
  playable: Type.Boolean({ description: 'the audio is stored (the call has ended) and not purged' }),
  purged: Type.Boolean({ description: 'the audio was deleted under the recordings retention' }),
});

export type VoicemailItem = Static<typeof VoicemailItem>;

export const VoicemailList = Type.Object({ open: Type.Integer({ description: 'open messages the user may see' }), items: Type.Array(VoicemailItem) });
export type VoicemailList = Static<typeof VoicemailList>;

export const Attempt = Type.Object({
  result: StringEnum(CALLBACK_RESULTS), at: Type.String({ format: 'date-time' }), staffId: Nullable(Type.Integer()),
});
export type CallbackAttemptView = Static<typeof Attempt>;

/** One line of the abandoned-calls list. */
export const AbandonedItem = Type.Object({
  callId: Type.String({ format: 'uuid', description: 'the newest abandoned call of the number in the queue: record call-backs against it' }),
  queue: Type.String(),
  callerNumber: Type.String(),
  clientId: Nullable(Type.Integer()),
  clientName: Nullable(Type.String()),
  abandonedAt: Type.String({ format: 'date-time' }),
  firstAbandonedAt: Type.String({ format: 'date-time' }),
  times: Type.Integer({ description: 'how many times the number abandoned the queue since last reached' }),
  waitMs: Nullable(Type.Integer()),
  attempts: Type.Array(Attempt),
});

export type AbandonedItem = Static<typeof AbandonedItem>;
