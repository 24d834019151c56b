/**
 * What the call's session tells an IVR run. Playback and timer events carry
 * the id from the command that started them, so a late event for a prompt
 * that was stopped (barge-in) or a timer that was cancelled is ignored
 * instead of moving the run on twice.
 */
export type IvrEvent =
  | { readonly type: 'answered' }
  | { readonly type: 'prompt_finished'; readonly playbackId: number }
  | { readonly type: 'digit'; readonly digit: string }
  | { readonly type: 'timeout'; readonly timerId: number }
  | { readonly type: 'caller_hangup' };

/** An event as recorded in the run's log, with the clock reading at which it was handled. */
export interface LoggedIvrEvent {
  readonly at: number;
  readonly event: IvrEvent;
}
