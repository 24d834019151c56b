import type { CallFacts } from '../routing/call-facts';
import type { AvailabilitySnapshot } from '../routing/availability-snapshot';
import type { DirectorySnapshot } from '../routing/directory-snapshot';
import type { RoutingConfig } from '../routing/routing-config-schema';
import type { RouteDecision } from '../routing/route-decision';
import { decideRoute } from '../routing/decide-route';
import type { FlowDocument } from './flow-document';
import type { IvrRunContext } from './ivr-run-context';
import type { PromptCatalogue } from './prompt-catalogue';
import type { RouteCommand } from './ivr-command';
import type { LoggedIvrEvent } from './ivr-event';
import { IvrRun } from './ivr-run';

/**
 * What the simulated caller does, one character per action:
 * a digit or `*`/`#` is pressed once the system waits for input; `!` before a
 * key presses it during the prompt that is playing (barge-in); `t` lets the
 * input timer run out; `h` hangs up. When the script is used up the caller
 * stays silent (or, for an interactive session, the simulation pauses).
 */
export const SCRIPT_PATTERN = /^(?:!?[0-9*#]|t|h)*$/;

export interface SimulationInput {
  flow: FlowDocument;
  catalogue: PromptCatalogue;
  context: IvrRunContext;
  /** Playback length of a prompt; the media server reports the real one. */
  promptDurationMs: (promptId: string, language: string) => number;
  routing: { config: RoutingConfig; directory: DirectorySnapshot; availability: AvailabilitySnapshot };
  call: CallFacts;
  startAt: Date;
  script: string;
  /** Pause when input is awaited and the script is used up (interactive sessions). */
  pauseForInput: boolean;
}

export interface SimulatedPrompt {
  promptId: string;
  language: string;
  text: string;
  atMs: number;
}

export interface SimulationResult {
  state: 'routed' | 'hung_up' | 'caller_hung_up' | 'awaiting_input';
  path: string[];
  prompts: SimulatedPrompt[];
  callbackRequested: boolean;
  route: Pick<RouteCommand, 'choice' | 'cause' | 'announcementsPlayed' | 'language' | 'variables'> | null;
  decision: RouteDecision | null;
  /** How much of the script the flow consumed before it ended or paused. */
  usedScript: string;
  elapsedMs: number;
  eventLog: readonly LoggedIvrEvent[];
}

const MAX_STEPS = 5000;

/** Runs one simulated call through the IVR and, when it routes, through the routing decision. Pure. */
export function simulateCall(input: SimulationInput): SimulationResult {
  if (!SCRIPT_PATTERN.test(input.script)) throw new Error(`invalid caller script "${input.script}"`);
  let elapsed = 0;
  const clock = { now: () => input.startAt.getTime() + elapsed };
  const run = new IvrRun({ flow: input.flow, catalogue: input.catalogue, context: input.context, clock });
  const prompts: SimulatedPrompt[] = [];
  let playback: { id: number; endsAt: number } | null = null;
  let timer: { id: number; firesAt: number } | null = null;
  let route: RouteCommand | null = null;
  let callbackRequested = false;
  let hungUp = false;
  let cursor = 0;

  const apply = (commands: ReturnType<IvrRun['handle']>): void => {
    for (const command of commands) {
      switch (command.type) {
        case 'play':
          prompts.push({ promptId: command.promptId, language: command.language, text: command.text, atMs: elapsed });
          playback = { id: command.playbackId, endsAt: elapsed + input.promptDurationMs(command.promptId, command.language) };
          break;
        case 'stop_playback':
          if (playback?.id === command.playbackId) playback = null;
          break;
        case 'start_timer':
          timer = { id: command.timerId, firesAt: elapsed + command.ms };
          break;
        case 'cancel_timer':
          if (timer?.id === command.timerId) timer = null;
          break;
        case 'route':
          route = command;
          break;
        case 'request_callback':
          callbackRequested = true;
          break;
        case 'hangup':
          hungUp = true;
          break;
      }
    }
  };

  apply(run.handle({ type: 'answered' }));
  let state: SimulationResult['state'] | null = null;
  for (let step = 0; step < MAX_STEPS && state === null; step++) {
    if (route) state = 'routed';
    else if (hungUp) state = 'hung_up';
    if (state) break;
    const token = input.script[cursor];
    const current = playback as { id: number; endsAt: number } | null;
    const pending = timer as { id: number; firesAt: number } | null;
    if (token === 'h') {
      cursor++;
      apply(run.handle({ type: 'caller_hangup' }));
      state = 'caller_hung_up';
    } else if (token === '!' && current) {
      // Pressed during the prompt: a little after it starts.
      elapsed += 200;
      cursor += 2;
      apply(run.handle({ type: 'digit', digit: input.script[cursor - 1] as string }));
    } else if (current) {
      elapsed = Math.max(elapsed, current.endsAt);
      playback = null;
      apply(run.handle({ type: 'prompt_finished', playbackId: current.id }));
    } else if (token === 't' && !pending) {
      // Nothing is waiting for input: a silence here changes nothing.
      cursor++;
    } else if (token === 't' && pending) {
      cursor++;
      elapsed = Math.max(elapsed, pending.firesAt);
      timer = null;
      apply(run.handle({ type: 'timeout', timerId: pending.id }));
    } else if (token !== undefined && token !== 't' && run.state === 'awaiting_input') {
      cursor += token === '!' ? 2 : 1;
      elapsed += 500;
      apply(run.handle({ type: 'digit', digit: token === '!' ? (input.script[cursor - 1] as string) : token }));
    } else if (pending) {
      if (token === undefined && input.pauseForInput && run.state === 'awaiting_input') {
        state = 'awaiting_input';
        break;
      }
      elapsed = Math.max(elapsed, pending.firesAt);
      timer = null;
      apply(run.handle({ type: 'timeout', timerId: pending.id }));
    } else {
      // Nothing playing, no timer, not ended: the executor guarantees this does not happen.
      throw new Error(`simulation stalled in state ${run.state} at node ${run.path[run.path.length - 1]?.nodeId ?? '?'}`);
    }
  }
  if (state === null) throw new Error('simulation did not finish within its step limit');

  const routed = route as RouteCommand | null;
  const decision = routed
    ? decideRoute({
        call: input.call,
        client: input.context.client,
        choice: routed.choice,
        availability: input.routing.availability,
        directory: input.routing.directory,
        now: new Date(input.startAt.getTime() + elapsed),
        config: input.routing.config,
        announcementsPlayed: routed.announcementsPlayed,
      })
    : null;
  return {
    state,
    path: run.path.map((p) => p.nodeId),
    prompts,
    callbackRequested,
    route: routed ? { choice: routed.choice, cause: routed.cause, announcementsPlayed: routed.announcementsPlayed, language: routed.language, variables: routed.variables } : null,
    decision,
    usedScript: input.script.slice(0, cursor),
    elapsedMs: elapsed,
    eventLog: run.eventLog,
  };
}
