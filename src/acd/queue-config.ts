import { AppError, type ErrorDetail } from '../errors/app-error';
import { isAcdId } from './agent-profile';
import { ANY_QUEUE_AGENT, validateStages, type MatchStage } from './match-stage';

/** How a queue picks among several ready agents that all match a call. */
export const ROUTING_STRATEGIES = ['longest_idle', 'fewest_calls', 'round_robin', 'linear', 'weighted_random'] as const;

export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/**
 * Where a call goes when it has waited `maxWaitMs`, or at once under the
 * `overflow` empty-queue policy. `queue` and `agent` keep the caller's place in
 * line (a queue move keeps the original enqueue time; a person has `ringMs` to
 * take the call, then it goes on to `then`); `callback` turns the
 * call into a callback request at the same place; `voicemail` ends the wait and
 * leaves the call to its owner.
 */
export type OverflowTarget =
  | { type: 'queue'; queueId: string }
  | {
      type: 'agent';
      agentId: string;
      /** How long the person has to pick the call up (waiting for them and ringing); default: the queue's ring timeout. */
      ringMs?: number;
      /** Where the call goes when the person does not answer in time; default: callback (voicemail without a number). */
      then?: PersonFallback;
    }
  | { type: 'callback' }
  | { type: 'voicemail' };

/** The step after a named person did not take an overflowed call (no person chains: stages are for that). */
export type PersonFallback = Exclude<OverflowTarget, { type: 'agent' }>;

/** What happens to a new call when nobody serving the queue is logged in. */
export const EMPTY_QUEUE_POLICIES = ['wait', 'overflow', 'callback'] as const;

export type EmptyQueuePolicy = (typeof EMPTY_QUEUE_POLICIES)[number];

/** A queue's settings as an admin writes them; omitted fields take the defaults below. */
export interface QueueConfigInput {
  id: string;
  name?: string;
  strategy?: RoutingStrategy;
  /** The matching plan for calls that bring none of their own (skills, relaxation steps). */
  stages?: MatchStage[];
  maxWaitMs?: number;
  overflow?: OverflowTarget;
  emptyPolicy?: EmptyQueuePolicy;
  /** Service-level threshold (default 20 s: "90 % answered within 20 s", design §1). */
  serviceLevelMs?: number;
  wrapUpMs?: number;
  /** How long an agent's phone rings before ring-no-answer. */
  ringTimeoutMs?: number;
  /** How long the holder has to confirm it started ringing the agent. */
  reserveTimeoutMs?: number;
}

/** A queue's settings with every default applied. */
export interface QueueConfig {
  id: string;
  name: string;
  strategy: RoutingStrategy;
  stages: MatchStage[];
  maxWaitMs?: number;
  overflow?: OverflowTarget;
  emptyPolicy: EmptyQueuePolicy;
  serviceLevelMs: number;
  wrapUpMs: number;
  ringTimeoutMs: number;
  reserveTimeoutMs: number;
}

export const QUEUE_DEFAULTS = {
  strategy: 'longest_idle',
  emptyPolicy: 'wait',
  serviceLevelMs: 20_000,
  wrapUpMs: 30_000,
  ringTimeoutMs: 20_000,
  reserveTimeoutMs: 5_000,
} as const;

function positiveInt(value: number | undefined): boolean {
  return value === undefined || (Number.isInteger(value) && value > 0);
}

/** Applies defaults and validates; throws VALIDATION_FAILED listing every problem. */
export function resolveQueueConfig(input: QueueConfigInput): QueueConfig {
  const details: ErrorDetail[] = [];
  if (!isAcdId(input.id)) details.push({ path: 'id', message: 'must be 1–64 characters of A-Z a-z 0-9 _ . @ -' });
  if (input.strategy !== undefined && !(ROUTING_STRATEGIES as readonly string[]).includes(input.strategy)) {
    details.push({ path: 'strategy', message: `must be one of ${ROUTING_STRATEGIES.join(', ')}` });
  }
  if (input.emptyPolicy !== undefined && !(EMPTY_QUEUE_POLICIES as readonly string[]).includes(input.emptyPolicy)) {
    details.push({ path: 'emptyPolicy', message: `must be one of ${EMPTY_QUEUE_POLICIES.join(', ')}` });
  }
  const stages = input.stages ?? [...ANY_QUEUE_AGENT];
  details.push(...validateStages(stages));
  for (const key of ['maxWaitMs', 'serviceLevelMs', 'ringTimeoutMs', 'reserveTimeoutMs'] as const) {
    if (!positiveInt(input[key])) details.push({ path: key, message: 'must be a positive integer (ms)' });
  }
  if (input.wrapUpMs !== undefined && !(Number.isInteger(input.wrapUpMs) && input.wrapUpMs >= 0)) {
    details.push({ path: 'wrapUpMs', message: 'must be a non-negative integer (ms)' });
  }
  const overflow = input.overflow;
  if (overflow?.type === 'queue' && (!isAcdId(overflow.queueId) || overflow.queueId === input.id)) {
    details.push({ path: 'overflow.queueId', message: 'must name another queue' });
  }
  if (overflow?.type === 'agent') {
    if (!isAcdId(overflow.agentId)) details.push({ path: 'overflow.agentId', message: 'is not a valid id' });
    if (!positiveInt(overflow.ringMs)) details.push({ path: 'overflow.ringMs', message: 'must be a positive integer (ms)' });
    const next = overflow.then;
    if (next !== undefined && !['queue', 'callback', 'voicemail'].includes(next.type)) {
      details.push({ path: 'overflow.then.type', message: 'must be queue, callback or voicemail' });
    }
    if (next?.type === 'queue' && (!isAcdId(next.queueId) || next.queueId === input.id)) {
      details.push({ path: 'overflow.then.queueId', message: 'must name another queue' });
    }
  }
  if (input.maxWaitMs !== undefined && !overflow) details.push({ path: 'overflow', message: 'maxWaitMs needs an overflow target' });
  if (input.emptyPolicy === 'overflow' && !overflow) details.push({ path: 'overflow', message: "emptyPolicy 'overflow' needs an overflow target" });
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', `queue ${String(input.id)} is invalid`, details);
  return {
    id: input.id,
    name: input.name ?? input.id,
    strategy: input.strategy ?? QUEUE_DEFAULTS.strategy,
    stages,
    ...(input.maxWaitMs !== undefined ? { maxWaitMs: input.maxWaitMs } : {}),
    ...(overflow ? { overflow } : {}),
    emptyPolicy: input.emptyPolicy ?? QUEUE_DEFAULTS.emptyPolicy,
    serviceLevelMs: input.serviceLevelMs ?? QUEUE_DEFAULTS.serviceLevelMs,
    wrapUpMs: input.wrapUpMs ?? QUEUE_DEFAULTS.wrapUpMs,
    ringTimeoutMs: input.ringTimeoutMs ?? QUEUE_DEFAULTS.ringTimeoutMs,
    reserveTimeoutMs: input.reserveTimeoutMs ?? QUEUE_DEFAULTS.reserveTimeoutMs,
  };
}
