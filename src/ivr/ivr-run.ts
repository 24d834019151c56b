import { isOpenAt } from '../routing/business-hours';
import type { CallerChoice } from '../routing/caller-choice';
import type { Clock } from './clock';
import { DEFAULT_MAX_STEPS, type FlowDocument, type FlowNode, type InputNode, type PlayNode } from './flow-document';
import type { IvrCommand, RouteCause } from './ivr-command';
import type { IvrEvent, LoggedIvrEvent } from './ivr-event';
import { branchHolds, type IvrRunContext } from './ivr-run-context';
import { IVR_TRANSITIONS, isTerminalState, type IvrState } from './ivr-state';
import { frozenSnapshot } from '../platform/deep-freeze';
import { PromptIndex, promptAudioFile, promptIndexOf, type PromptCatalogue } from './prompt-catalogue';
import { withOpeningHours } from './opening-hours';
import { firstVariant, variantsIn, withVariant, type VariantChooser } from './prompt-variants';

/** Pino-compatible sink for transition logs; the call's child logger fits. */
export interface IvrRunLogger {
  debug(details: object, message: string): void;
}

export interface IvrRunOptions {
  /** A validated flow. The run keeps its own copy (the flow itself when deeply frozen): publishing a new version does not touch it. */
  readonly flow: FlowDocument;
  readonly catalogue: PromptCatalogue;
  readonly context: IvrRunContext;
  readonly clock: Clock;
  readonly logger?: IvrRunLogger;
  /** Picks a play node's variant per call (prompt-variants.ts); default the first. */
  readonly chooseVariant?: VariantChooser;
}

/** How a run ended, for the call record (calls.outcome and friends). */
export type IvrOutcome =
  | { readonly kind: 'routed'; readonly choice: CallerChoice; readonly cause: RouteCause }
  | { readonly kind: 'flow_hangup'; readonly callbackRequested: boolean }
  | { readonly kind: 'caller_hangup' };

/** One node entered, with the clock reading. */
export interface IvrPathStep {
  readonly nodeId: string;
  readonly at: number;
  /** The variant a play node chose for this call (a prompt id), when it has variants. */
  variant?: string;
}

const KEY = /^[0-9*#]$/;
const FALLBACK_TIMEOUT_MS = 5000;

/**
 * One caller's walk through an IVR flow: a state machine fed with events,
 * answering each with the commands to carry out. Pure apart from the
 * injected clock, so a run is replayed exactly from its event log.
 */
export class IvrRun {
  private readonly flow: FlowDocument;
  private readonly prompts: PromptIndex;
  private readonly context: IvrRunContext;
  private readonly clock: Clock;
  private readonly logger: IvrRunLogger | undefined;
  private readonly chooseVariant: VariantChooser;
  private readonly maxSteps: number;
  readonly language: string;

  private current: IvrState = 'idle';
  private nodeId: string | null = null;
  private pendingPrompts: string[] = [];
  private activePlayback: number | null = null;
  private activeTimer: number | null = null;
  private nextId = 1;
  /** Digits typed during a barge-in play node, for the next input node. */
  private typeAhead = '';
  /** Digits of the current collect node. */
  private collected = '';
  /** While replaying type-ahead into a collect node, the digit timer starts only after the last digit. */
  private consumingTypeAhead = false;
  private readonly failures = new Map<string, number>();
  private readonly variables: Record<string, string> = {};
  private readonly played: string[] = [];
  private readonly steps: IvrPathStep[] = [];
  private readonly log: LoggedIvrEvent[] = [];
  private out: IvrCommand[] = [];
  private callbackRequested = false;
  private result: IvrOutcome | null = null;

  constructor(options: IvrRunOptions) {
    // A published flow and the prompt catalogue come deeply frozen from their caches (shared by every call, copied
    // by none): cloning them for each call was ~8 % of the hotline's CPU at 300 calls/s (bench:sip profile).
    this.flow = frozenSnapshot(options.flow);
    this.prompts = promptIndexOf(frozenSnapshot(options.catalogue));
    this.context = options.context;
    this.clock = options.clock;
    this.logger = options.logger;
    this.chooseVariant = options.chooseVariant ?? firstVariant;
    this.maxSteps = this.flow.maxSteps ?? DEFAULT_MAX_STEPS;
    const wanted = options.context.language ?? options.context.client?.language;
    this.language = wanted !== undefined && this.flow.languages.includes(wanted) ? wanted : this.flow.defaultLanguage;
  }

  get state(): IvrState {
    return this.current;
  }

  /** The flow this run executes (its own frozen copy). */
  get document(): FlowDocument {
    return this.flow;
  }

  get outcome(): IvrOutcome | null {
    return this.result;
  }

  get path(): readonly IvrPathStep[] {
    return this.steps;
  }

  /** Every event handled, with its clock reading: enough to replay the run. */
  get eventLog(): readonly LoggedIvrEvent[] {
    return this.log;
  }

  /** True while a playback or a digit timer started by this run has not finished or been cancelled. */
  get hasPendingMedia(): boolean {
    return this.activePlayback !== null || this.activeTimer !== null;
  }

  /** Feeds one event; returns the commands it causes, in order. Events after the end are logged and ignored. */
  handle(event: IvrEvent): IvrCommand[] {
    this.log.push({ at: this.clock.now(), event });
    this.out = [];
    if (!isTerminalState(this.current)) this.dispatch(event);
    const commands = this.out;
    this.out = [];
    return commands;
  }

  private dispatch(event: IvrEvent): void {
    switch (event.type) {
      case 'answered':
        if (this.current === 'idle') this.enter(this.flow.start);
        return;
      case 'caller_hangup':
        this.releaseMedia();
        this.finish('ended', { kind: 'caller_hangup' });
        return;
      case 'prompt_finished':
        if (event.playbackId !== this.activePlayback) return; // stopped or stale
        this.activePlayback = null;
        this.playNextPrompt();
        return;
      case 'timeout':
        if (event.timerId !== this.activeTimer) return; // cancelled or stale
        this.activeTimer = null;
        this.onTimeout();
        return;
      case 'digit':
        if (KEY.test(event.digit)) this.onDigit(event.digit);
        return;
    }
  }

  // --- node entry -----------------------------------------------------------

  private enter(id: string): void {
    this.releaseMedia();
    if (this.steps.length >= this.maxSteps) {
      this.route({ intent: 'operator' }, 'step_limit');
      return;
    }
    const node = this.flow.nodes[id];
    const step: IvrPathStep = { nodeId: id, at: this.clock.now() };
    this.steps.push(step);
    this.nodeId = id;
    if (!node) {
      this.route({ intent: 'operator' }, 'flow_error');
      return;
    }
    switch (node.type) {
      case 'play': {
        const variant = this.variantOf(id, node);
        if (variant !== null) step.variant = variant;
        this.startPrompts(variant === null ? node.prompts : withVariant(node.prompts, node.variants ?? [], variant));
        return;
      }
      case 'menu':
      case 'collect':
      case 'callback':
        this.enterInput(node);
        return;
      case 'business_hours':
        this.enter(isOpenAt(this.context.businessHours, new Date(this.clock.now())) ? node.open : node.closed);
        return;
      case 'branch': {
        const hit = node.cases.find((c) => branchHolds(c.when, this.context, this.language, this.variables));
        this.enter(hit ? hit.next : node.otherwise);
        return;
      }
      case 'set':
        this.variables[node.variable] = node.value;
        this.enter(node.next);
        return;
      case 'route':
        this.route(node.topic ? { intent: node.intent, topic: node.topic } : { intent: node.intent }, 'flow');
        return;
      case 'hangup':
        this.out.push({ type: 'hangup' });
        this.finish('ended', { kind: 'flow_hangup', callbackRequested: this.callbackRequested });
        return;
    }
  }

  private enterInput(node: InputNode): void {
    this.collected = '';
    const id = this.nodeId;
    if (this.typeAhead !== '' && bargeInAllowed(node)) {
      // The caller already knows what to press: answer without the prompts.
      this.consumingTypeAhead = true;
      while (this.typeAhead !== '' && this.nodeId === id && !isTerminalState(this.current)) {
        const digit = this.typeAhead[0] as string;
        this.typeAhead = this.typeAhead.slice(1);
        this.handleKey(node, digit);
      }
      this.consumingTypeAhead = false;
      // Still here with nothing running (a collect node short of digits): wait for the rest.
      const idle = this.activePlayback === null && this.activeTimer === null;
      if (this.nodeId === id && !isTerminalState(this.current) && idle) this.awaitInput(node);
      return;
    }
    this.typeAhead = '';
    this.startPrompts(node.prompts);
  }

  // --- prompts --------------------------------------------------------------

  /** The variant this call hears at a play node (null without variants in its language). */
  private variantOf(nodeId: string, node: PlayNode): string | null {
    const variants = variantsIn(node, this.prompts, this.language);
    if (variants.length === 0) return null;
    const index = this.chooseVariant({ nodeId, language: this.language, count: variants.length, choice: node.variantChoice ?? 'rotation' });
    return variants[Number.isInteger(index) && index >= 0 && index < variants.length ? index : 0] as string;
  }

  private startPrompts(promptIds: readonly string[]): void {
    // The opening hours are said from the schedule of this call, never from a recording that may be out of date.
    this.pendingPrompts = withOpeningHours(promptIds, this.context.businessHours, this.language, (id) => this.prompts.find(id, this.language) !== undefined);
    this.transition('playing', 'prompts');
    this.playNextPrompt();
  }

  private playNextPrompt(): void {
    while (this.pendingPrompts.length > 0) {
      const promptId = this.pendingPrompts.shift() as string;
      const entry = this.prompts.find(promptId, this.language) ?? this.prompts.find(promptId, this.flow.defaultLanguage);
      if (!entry) continue; // an unvalidated flow: skip the prompt rather than stall the caller
      const playbackId = this.nextId++;
      this.activePlayback = playbackId;
      this.played.push(promptId);
      this.out.push({ type: 'play', playbackId, promptId, language: entry.language, text: entry.text, audioFile: promptAudioFile(entry) });
      return;
    }
    this.promptsDone();
  }

  private promptsDone(): void {
    const node = this.currentNode();
    if (!node) return;
    if (node.type === 'play') this.enter(node.next);
    else if (node.type === 'menu' || node.type === 'collect' || node.type === 'callback') this.awaitInput(node);
  }

  // --- input ----------------------------------------------------------------

  private awaitInput(node: InputNode): void {
    const timerId = this.nextId++;
    this.activeTimer = timerId;
    this.transition('awaiting_input', 'waiting for keys');
    this.out.push({ type: 'start_timer', timerId, ms: node.timeoutMs ?? FALLBACK_TIMEOUT_MS });
  }

  private onDigit(digit: string): void {
    const node = this.currentNode();
    if (!node) return;
    if (this.current === 'playing') {
      if (node.type === 'play') {
        if (node.bargeIn !== true) return;
        this.typeAhead += digit;
        this.enter(node.next);
        return;
      }
      if ((node.type === 'menu' || node.type === 'collect' || node.type === 'callback') && bargeInAllowed(node)) {
        this.handleKey(node, digit);
      }
      return; // no barge-in here: keys during the prompt are dropped
    }
    if (this.current === 'awaiting_input' && (node.type === 'menu' || node.type === 'collect' || node.type === 'callback')) {
      this.handleKey(node, digit);
    }
  }

  private handleKey(node: InputNode, digit: string): void {
    this.releaseMedia();
    switch (node.type) {
      case 'menu': {
        const to = node.options[digit];
        if (to === undefined) {
          this.fail(node, 'invalid');
          return;
        }
        this.failures.delete(this.nodeId as string);
        this.enter(to);
        return;
      }
      case 'collect': {
        if (digit === node.terminator) {
          if (this.collected.length >= node.minLength) this.completeCollect(node);
          else this.fail(node, 'invalid');
          return;
        }
        this.collected += digit;
        if (this.collected.length >= node.maxLength) this.completeCollect(node);
        else if (!this.consumingTypeAhead) this.awaitInput(node);
        return;
      }
      case 'callback':
        if (digit === node.acceptKey) {
          this.callbackRequested = true;
          this.out.push({ type: 'request_callback', language: this.language, variables: { ...this.variables } });
          this.enter(node.onAccepted);
        } else {
          this.enter(node.onDeclined);
        }
        return;
    }
  }

  private onTimeout(): void {
    const node = this.currentNode();
    if (!node) return;
    if (node.type === 'menu') this.fail(node, 'timeout');
    else if (node.type === 'collect') {
      if (this.collected.length >= node.minLength) this.completeCollect(node);
      else this.fail(node, 'timeout');
    } else if (node.type === 'callback') this.enter(node.onDeclined);
  }

  private completeCollect(node: Extract<InputNode, { type: 'collect' }>): void {
    this.variables[node.variable] = this.collected;
    this.failures.delete(this.nodeId as string);
    this.enter(node.next);
  }

  /** A timeout or a wrong key: retry branch, or the max-retries branch once the attempts are used up. */
  private fail(node: Extract<InputNode, { type: 'menu' | 'collect' }>, kind: 'timeout' | 'invalid'): void {
    const id = this.nodeId as string;
    const count = (this.failures.get(id) ?? 0) + 1;
    const exhausted = count > (node.maxRetries ?? 0);
    if (exhausted) this.failures.delete(id);
    else this.failures.set(id, count);
    const to = exhausted ? node.onMaxRetries : kind === 'timeout' ? node.onTimeout : node.onInvalid;
    if (to === undefined) this.route({ intent: 'operator' }, 'flow_error');
    else this.enter(to);
  }

  // --- endings --------------------------------------------------------------

  private route(choice: CallerChoice, cause: RouteCause): void {
    this.releaseMedia();
    this.out.push({
      type: 'route',
      choice,
      cause,
      language: this.language,
      variables: { ...this.variables },
      announcementsPlayed: [...new Set(this.played)],
      path: this.steps.map((s) => s.nodeId),
    });
    this.finish('routed', { kind: 'routed', choice, cause });
  }

  private finish(state: 'routed' | 'ended', outcome: IvrOutcome): void {
    this.result = outcome;
    this.transition(state, outcome.kind);
  }

  /** Stops what the previous step left running, so timers and playbacks never leak past a node. */
  private releaseMedia(): void {
    if (this.activePlayback !== null) {
      this.out.push({ type: 'stop_playback', playbackId: this.activePlayback });
      this.activePlayback = null;
    }
    if (this.activeTimer !== null) {
      this.out.push({ type: 'cancel_timer', timerId: this.activeTimer });
      this.activeTimer = null;
    }
    this.pendingPrompts = [];
  }

  private transition(to: IvrState, cause: string): void {
    const from = this.current;
    if (!IVR_TRANSITIONS[from].includes(to)) {
      throw new Error(`IVR run: transition ${from} → ${to} (${cause}) is not allowed`);
    }
    this.current = to;
    this.logger?.debug({ from, to, node: this.nodeId, cause }, 'ivr transition');
  }

  private currentNode(): FlowNode | undefined {
    return this.nodeId === null ? undefined : this.flow.nodes[this.nodeId];
  }
}

/** Input nodes honour keys during their prompts unless told not to. */
function bargeInAllowed(node: InputNode): boolean {
  return node.bargeIn !== false;
}

/**
 * Rebuilds a run from its event log: a fresh run over the same flow, prompts
 * and context, fed the same events at the same clock readings, emits the
 * same commands. Used to explain a call after the fact and in tests.
 */
export function replayIvrRun(
  options: Omit<IvrRunOptions, 'clock'>,
  log: readonly LoggedIvrEvent[],
): { run: IvrRun; commands: IvrCommand[][] } {
  let now = log[0]?.at ?? 0;
  const run = new IvrRun({ ...options, clock: { now: () => now } });
  const commands = log.map((entry) => {
    now = entry.at;
    return run.handle(entry.event);
  });
  return { run, commands };
}
