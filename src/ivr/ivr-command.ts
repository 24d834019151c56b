import type { CallerChoice } from '../routing/caller-choice';

/**
 * What an IVR run asks its session to do. The session (src/sip + src/media)
 * carries them out and reports back with events; the run itself does no I/O.
 */
export type IvrCommand =
  | PlayCommand
  | { readonly type: 'stop_playback'; readonly playbackId: number }
  | { readonly type: 'start_timer'; readonly timerId: number; readonly ms: number }
  | { readonly type: 'cancel_timer'; readonly timerId: number }
  | RouteCommand
  | CallbackCommand
  | { readonly type: 'hangup' };

/** Play one prompt, already resolved to the run's language. Answer with prompt_finished(playbackId). */
export interface PlayCommand {
  readonly type: 'play';
  readonly playbackId: number;
  readonly promptId: string;
  readonly language: string;
  readonly text: string;
  readonly audioFile: string;
}

/** Why the run handed over to routing. */
export type RouteCause = 'flow' | 'step_limit' | 'flow_error';

/**
 * End of the IVR: hand the call to routing with the caller's choice. After a
 * `step_limit` or `flow_error` the choice is `operator`, so a broken flow
 * still reaches a person rather than dropping the caller.
 */
export interface RouteCommand {
  readonly type: 'route';
  readonly choice: CallerChoice;
  readonly cause: RouteCause;
  readonly language: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Prompt ids started during the run, so routing does not announce them again. */
  readonly announcementsPlayed: readonly string[];
  /** Node ids in the order entered (calls.ivr_path). */
  readonly path: readonly string[];
}

/** The caller accepted a callback offer: register a callback request for this call. */
export interface CallbackCommand {
  readonly type: 'request_callback';
  readonly language: string;
  readonly variables: Readonly<Record<string, string>>;
}
