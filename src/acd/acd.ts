import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import { toAcdError } from './acd-error';
import { resolveAcdSettings, type AcdSettings } from './acd-settings';
import { validateAgentProfile, isAcdId, type AgentProfile } from './agent-profile';
import {
  AGENT_STATES, DIRECT_CALL_REASON, NOT_READY_REASON_PATTERN, isAgentState, isUserSettableState, type AgentState, type UserSettableState,
} from './agent-state';
import { QUEUED_CALL_STATES, type QueuedCallState } from './call-state';
import { calendarDayIn } from './calendar-day';
import { systemClock, type Clock } from './clock';
import { estimateWait } from './estimated-wait';
import { AcdKeys, DEFAULT_ACD_PREFIX } from './keys';
import { ACD_SCRIPT, type AcdOperation } from './lua/acd-script';
import { asList, numberOr, pairsToNumbers, parseLuaReply, stringOr, type LuaReply } from './lua-reply';
import { assertValidStages, type MatchStage } from './match-stage';
import { resolveQueueConfig, type QueueConfig, type QueueConfigInput } from './queue-config';
import { DEFAULT_PRIORITY, PRIORITY_BAND, PRIORITY_MAX, PRIORITY_MIN } from './queue-score';
import { addCounters, emptyCounters, summarisePeriod, type QueueStats } from './queue-stats';
import { ReapGuard } from './reap-guard';
import { parseReservation, ReservationDelivery } from './reservation-delivery';
import { RepeatingTask } from './repeating-task';
import { ScriptRunner } from './script-runner';

export interface AcdOptions {
  /** A normal (non-subscribed) connection without its own keyPrefix. */
  redis: Redis;
  /** Prefix of every ACD key (default `sb:{acd}:`, hash-tagged for Redis Cluster; see keys.ts). */
  prefix?: string;
  /** This process's id in the liveness protocol; default: random. */
  nodeId?: string;
  clock?: Clock;
  /** Source of randomness for weighted-random picks (seeded into the script). */
  random?: () => number;
  /** The calendar day of a timestamp, for "today" statistics (default: the day in `settings.timeZone`). */
  dayOf?: (ms: number) => string;
  logger?: Logger;
  settings?: Partial<AcdSettings>;
}

/**
 * A reservation this process now holds: it must ring `agentId` for `callId`
 * (or place the callback), confirm with markOffered(), and later report
 * answer() or ringNoAnswer(). Left alone, it expires at `deadline` and the call
 * goes back to its place.
 */
export interface Reservation {
  callId: string;
  agentId: string;
  queueId: string;
  kind: 'call' | 'callback';
  /** Node holding the caller's leg ('' for callback requests). */
  owner: string;
  /** Node that must ring the agent: the owner for a caller on the line, the matching process for a callback. */
  holder: string;
  deadline: number;
  /** How long to ring before ring-no-answer. */
  ringMs: number;
  callbackNumber?: string;
  meta?: Record<string, unknown>;
}

/** What every operation hands back: the reservations it made for this process. */
export interface AcdOperationResult {
  reservations: Reservation[];
}

export interface EnqueueRequest {
  callId: string;
  queueId: string;
  /** 0–9, higher served first (default 5). */
  priority?: number;
  /** The call's own matching plan (skills, relaxation, preferred people); default: the queue's. */
  stages?: MatchStage[];
  /** E.164 number of the caller, used when the call is turned into a callback. */
  callerNumber?: string;
  /** Opaque data travelling with the call to the reservation (client id, …). */
  meta?: Record<string, unknown>;
}

export interface EnqueueResult extends AcdOperationResult {
  outcome: 'queued' | 'reserved' | 'overflowed' | 'callback' | 'voicemail';
  queueId: string;
  position: number | null;
}

export interface QueuePosition {
  callId: string;
  queueId: string;
  state: QueuedCallState;
  kind: 'call' | 'callback';
  /** Time since the call first entered the ACD. */
  waitedMs: number;
  /** 1-based place in line; null when the call is not waiting. */
  position: number | null;
  waitingCount: number | null;
  /** From recent handle times and the agents serving; 'unknown' without data. */
  estimatedWaitMs: number | 'unknown';
}

/** An agent as stored, for APIs and tests. */
export interface AgentSnapshot {
  id: string;
  state: AgentState;
  reason: string;
  since: number;
  callId: string | null;
  idleSince: number;
  callsToday: number;
  wrapUntil: number | null;
  wrapExtended: boolean;
  /** The call the agent wrapped up last (set when wrap-up starts; kept afterwards). */
  lastCallId: string | null;
  profile: AgentProfile;
}

/** A call as stored, for APIs and tests. */
export interface CallSnapshot {
  id: string;
  state: QueuedCallState;
  queueId: string;
  kind: 'call' | 'callback';
  priority: number;
  score: number;
  enqueuedAt: number;
  queuedAt: number;
  owner: string;
  holder: string;
  agentId: string | null;
  deadline: number | null;
  /** 0-based index of the active matching stage. */
  stageIndex: number;
  callbackNumber: string | null;
  /** When an agent answered it; null before. */
  answeredAt: number | null;
  /** The E.164 number the caller gave at enqueue (null when unknown). */
  callerNumber: string | null;
  /** What the enqueuing process attached (EnqueueRequest.meta): client id, routing reason…; null when none. */
  meta: Record<string, unknown> | null;
}

export type ReservationListener = (reservation: Reservation) => void;

function requireId(value: string, what: string): void {
  if (!isAcdId(value)) throw new AppError('VALIDATION_FAILED', `${what} is not a valid id`, [{ path: what, message: 'invalid id' }]);
}

/** A call's stored meta JSON; null when absent or not an object (it is written by our own processes, but never trusted to parse). */
function parseMeta(raw: string | undefined): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}


/**
 * The automatic call distributor as seen by one Switchboard process. All live
 * state is in Redis; every method is one atomic script run (one round trip),
 * so any number of processes can share one Redis. A process calls start() to
 * heartbeat and run housekeeping (reservation deadlines, wrap-up timers,
 * relaxation steps, max-wait overflow, reaping dead processes).
 */
export class Acd {
  readonly keys: AcdKeys;
  readonly nodeId: string;
  readonly settings: AcdSettings;
  readonly clock: Clock;
  private readonly redis: Redis;
  private readonly runner: ScriptRunner;
  private readonly random: () => number;
  private readonly dayOf: (ms: number) => string;
  private readonly logger: Logger | undefined;
  private readonly settingsJson: string;
  /** Hands each reservation to the process that must ring for it (reservation-delivery.ts). */
  private readonly delivery: ReservationDelivery;
  /** Declared to every script run so that Redis Cluster routes it to the slot of the ACD's hash tag. */
  private readonly routingKey: string;
  private heartbeatSeen = false;
  private readonly reapGuard: ReapGuard;
  private loops: RepeatingTask[] = [];

  constructor(options: AcdOptions) {
    this.redis = options.redis;
    this.keys = new AcdKeys(options.prefix ?? DEFAULT_ACD_PREFIX);
    this.nodeId = options.nodeId ?? `n-${randomBytes(6).toString('hex')}`;
    requireId(this.nodeId, 'nodeId');
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.logger = options.logger?.child({ module: 'acd', node: this.nodeId });
    this.settings = resolveAcdSettings(options.settings);
    this.dayOf = options.dayOf ?? calendarDayIn(this.settings.timeZone);
    this.settingsJson = JSON.stringify(this.settings);
    this.reapGuard = new ReapGuard(this.settings);
    this.runner = new ScriptRunner(this.redis, ACD_SCRIPT);
    this.routingKey = this.keys.get('nodes');
    this.delivery = new ReservationDelivery({ redis: this.redis, prefix: this.keys.prefix, nodeId: this.nodeId, logger: this.logger });
  }

  /** Requests this instance has sent to Redis (for the benchmark's round-trip count). */
  get roundTrips(): number {
    return this.runner.roundTrips;
  }

  /** Loads the script into Redis ahead of the first operation. */
  async prepare(): Promise<void> {
    try {
      await this.runner.load();
    } catch (err) {
      throw toAcdError(err);
    }
  }

  /** Listens to reservations this process must ring for; returns the remover (call it in a finally). */
  onReservation(listener: ReservationListener): () => void {
    return this.delivery.listen(listener);
  }


  // ---- configuration ------------------------------------------------------------------------

  /** Creates or replaces a queue's settings. */
  async defineQueue(input: QueueConfigInput): Promise<QueueConfig> {
    const config = resolveQueueConfig(input);
    await this.run('define_queue', { config, configJson: JSON.stringify(config) });
    return config;
  }

  /** Registers a person or updates their profile (skills, queues…), keeping their state. */
  async upsertAgent(profile: AgentProfile, by = 'admin'): Promise<AcdOperationResult> {
    const valid = validateAgentProfile(profile);
    return this.run('upsert_agent', { profile: valid, profileJson: JSON.stringify(valid), by });
  }

  // ---- agent state ---------------------------------------------------------------------------

  /**
   * The agent state transition a person or supervisor asks for (ready,
   * not_ready with a reason, logged_out). Validated against AGENT_TRANSITIONS
   * inside the atomic script, written, and emitted as an `agent_state` event;
   * an illegal move is refused with ILLEGAL_TRANSITION. Becoming ready may
   * reserve a waiting call for the agent in the same step.
   */
  async transition(agentId: string, to: UserSettableState, options: { reason?: string; by?: string } = {}): Promise<AcdOperationResult> {
    requireId(agentId, 'agentId');
    if (!isUserSettableState(to)) {
      throw new AppError('ILLEGAL_TRANSITION', `agent ${agentId}: ${String(to)} is entered by the ACD only`);
    }
    const reason = options.reason ?? '';
    if (to === 'not_ready' && !NOT_READY_REASON_PATTERN.test(reason)) {
      throw new AppError('VALIDATION_FAILED', 'not_ready needs a reason code', [{ path: 'reason', message: 'e.g. break, lunch, training' }]);
    }
    return this.run('set_agent_state', { agentId, to, reason: to === 'not_ready' ? reason : reason || undefined, by: options.by ?? agentId });
  }

  /** Ends wrap-up early: the agent is ready (and may get a call at once). */
  async endWrapUp(agentId: string, by?: string): Promise<AcdOperationResult> {
    requireId(agentId, 'agentId');
    return this.run('set_agent_state', { agentId, to: 'ready', reason: 'wrap_up_ended', requireFrom: 'wrap_up', by: by ?? agentId });
  }

  /**
   * A person starts a call the ACD did not give them (click-to-call, a number
   * dialled on their phone, a consult straight to them): a ready agent, or
   * one in wrap-up, becomes not_ready(direct_call) so that the ACD offers
   * them nothing meanwhile. Anyone else is left as they are (not ready
   * already, logged out, unknown to the ACD).
   *
   * @returns whether they were taken out of the pool (then call endDirectCall when the call ends).
   * @throws AppError `ILLEGAL_TRANSITION` when an ACD call is being offered to them right now (reserved or on a call).
   */
  async beginDirectCall(agentId: string, callId: string): Promise<{ occupied: boolean }> {
    requireId(agentId, 'agentId');
    const agent = await this.getAgent(agentId);
    if (!agent || (agent.state !== 'ready' && agent.state !== 'wrap_up' && agent.state !== 'reserved' && agent.state !== 'on_call')) return { occupied: false };
    if (agent.state === 'reserved' || agent.state === 'on_call') {
      throw new AppError('ILLEGAL_TRANSITION', `agent ${agentId} has a queue call ${agent.state === 'reserved' ? 'ringing' : 'in progress'}`);
    }
    // Compare-and-set: the state read above may have moved on (a reservation in between is refused by the script).
    await this.run('set_agent_state', { agentId, to: 'not_ready', reason: DIRECT_CALL_REASON, requireFrom: ['ready', 'wrap_up'], by: `direct:${callId}` });
    return { occupied: true };
  }

  /**
   * The person's last phone went away (unregistered, or its registration
   * expired) while they were Ready: nothing can ring them, so they are Not
   * ready (unreachable) — shown as such, and not counted by routing as free.
   * A compare-and-set: anyone not Ready right now is left as they are.
   *
   * @returns whether they were taken out of the pool.
   */
  async markUnreachable(agentId: string, by: string): Promise<boolean> {
    requireId(agentId, 'agentId');
    try {
      await this.run('set_agent_state', { agentId, to: 'not_ready', reason: 'unreachable', requireFrom: 'ready', by });
      return true;
    } catch (err) {
      if (err instanceof AppError && (err.code === 'ILLEGAL_TRANSITION' || err.code === 'NOT_FOUND')) return false;
      throw err;
    }
  }

  /**
   * The direct call of beginDirectCall ended: the person is ready again,
   * unless they (or a supervisor) changed their state meanwhile.
   *
   * @returns whether they were made ready.
   */
  async endDirectCall(agentId: string, callId: string): Promise<boolean> {
    requireId(agentId, 'agentId');
    try {
      await this.run('set_agent_state', { agentId, to: 'ready', reason: 'direct_call_ended', requireFrom: 'not_ready', requireReason: DIRECT_CALL_REASON, by: `direct:${callId}` });
      return true;
    } catch (err) {
      if (err instanceof AppError && (err.code === 'ILLEGAL_TRANSITION' || err.code === 'NOT_FOUND')) return false;
      throw err;
    }
  }

  /** Extends the current wrap-up by `extraMs`; allowed once per wrap-up. */
  async extendWrapUp(agentId: string, extraMs: number, by?: string): Promise<{ wrapUntil: number }> {
    requireId(agentId, 'agentId');
    if (!Number.isInteger(extraMs) || extraMs <= 0 || extraMs > 3_600_000) {
      throw new AppError('VALIDATION_FAILED', 'extraMs must be 1 ms – 1 h', [{ path: 'extraMs', message: 'out of range' }]);
    }
    const out = await this.runRaw('extend_wrap_up', { agentId, extraMs, by: by ?? agentId });
    return { wrapUntil: numberOr(out.wrapUntil, 0) };
  }

  // ---- calls -----------------------------------------------------------------------------------

  /** Puts a call in line (this process owns the caller's leg); may reserve an agent at once. */
  async enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
    requireId(request.callId, 'callId');
    requireId(request.queueId, 'queueId');
    const priority = request.priority ?? DEFAULT_PRIORITY;
    if (!Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
      throw new AppError('VALIDATION_FAILED', `priority must be ${PRIORITY_MIN}–${PRIORITY_MAX}`, [{ path: 'priority', message: 'out of range' }]);
    }
    if (request.stages) assertValidStages(request.stages);
    const out = await this.runRaw('enqueue', {
      callId: request.callId,
      queueId: request.queueId,
      priority,
      stages: request.stages,
      callerNumber: request.callerNumber,
      meta: request.meta ? JSON.stringify(request.meta) : undefined,
    });
    const outcome = stringOr(out.outcome, 'queued');
    return {
      outcome: (['queued', 'reserved', 'overflowed', 'callback', 'voicemail'].includes(outcome) ? outcome : 'queued') as EnqueueResult['outcome'],
      queueId: stringOr(out.queueId, request.queueId),
      position: numberOr(out.position, null),
      reservations: this.reservationsOf(out),
    };
  }

  /** The holder started ringing the agent: the deadline becomes the ring timeout. */
  async markOffered(callId: string, agentId: string): Promise<{ deadline: number }> {
    requireId(callId, 'callId');
    requireId(agentId, 'agentId');
    const out = await this.runRaw('mark_offered', { callId, agentId });
    return { deadline: numberOr(out.deadline, 0) };
  }

  /** The agent answered: agent on_call, call connected, wait recorded for ASA and service level. */
  async answer(callId: string, agentId: string): Promise<{ waitMs: number }> {
    requireId(callId, 'callId');
    requireId(agentId, 'agentId');
    const out = await this.runRaw('answer', { callId, agentId });
    return { waitMs: numberOr(out.waitMs, 0) };
  }

  /** The agent let it ring: agent not_ready(missed_call) — or not_ready(unreachable) when no phone of theirs could be rung — caller back at the same place. */
  async ringNoAnswer(callId: string, agentId: string, by = 'acd', options: { unreachable?: boolean } = {}): Promise<AcdOperationResult & { position: number | null }> {
    requireId(callId, 'callId');
    requireId(agentId, 'agentId');
    const out = await this.runRaw('ring_no_answer', { callId, agentId, by, unreachable: options.unreachable ? '1' : '0' });
    return { reservations: this.reservationsOf(out), position: numberOr(out.position, null) };
  }

  /** The caller hung up before being connected: removed at once, wait recorded. */
  async abandon(callId: string, options: { /** A callback request taken out to wait for its time (the client's calling window): still pending, not cancelled. */ heldBack?: boolean } = {}): Promise<AcdOperationResult & { waitMs: number }> {
    requireId(callId, 'callId');
    const out = await this.runRaw('abandon', { callId, heldBack: options.heldBack === true ? '1' : undefined });
    return { reservations: this.reservationsOf(out), waitMs: numberOr(out.waitMs, 0) };
  }

  /**
   * Either side hung up. Connected calls complete and the agent enters
   * wrap-up (queue or agent setting, or `wrapUpMs`); unconnected ones are
   * abandons.
   */
  async hangUp(callId: string, options: { by?: string; wrapUpMs?: number } = {}): Promise<AcdOperationResult & { outcome: 'completed' | 'abandoned' }> {
    requireId(callId, 'callId');
    const out = await this.runRaw('hang_up', { callId, by: options.by, wrapUpMs: options.wrapUpMs });
    return { reservations: this.reservationsOf(out), outcome: out.outcome === 'abandoned' ? 'abandoned' : 'completed' };
  }

  /** The waiting caller asks to be called back on `number`: same place in line, their leg may end. */
  async requestCallback(callId: string, number: string): Promise<{ position: number | null }> {
    requireId(callId, 'callId');
    if (!/^\+?[0-9]{3,20}$/.test(number)) throw new AppError('BAD_PHONE_NUMBER', 'the callback number cannot be read');
    const out = await this.runRaw('request_callback', { callId, number });
    return { position: numberOr(out.position, null) };
  }

  /**
   * A new callback request in `queueId`'s line, under a new id (a callback
   * whose client did not answer, put back by the process that placed it): at
   * the end of the line, or at the place of `ticketMs` (the request's
   * original arrival, queue-score.ts). It may be reserved at once, like any
   * callback request.
   */
  async enqueueCallback(request: {
    callId: string; queueId: string; number: string; priority?: number; ticketMs?: number; meta?: Record<string, unknown>;
    /** The request back from waiting for its time (abandon with heldBack): not counted as requested again. */
    heldBack?: boolean;
  }): Promise<AcdOperationResult & { position: number | null }> {
    requireId(request.callId, 'callId');
    requireId(request.queueId, 'queueId');
    if (!/^\+?[0-9]{3,20}$/.test(request.number)) throw new AppError('BAD_PHONE_NUMBER', 'the callback number cannot be read');
    const priority = request.priority ?? DEFAULT_PRIORITY;
    if (!Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
      throw new AppError('VALIDATION_FAILED', `priority must be ${PRIORITY_MIN}–${PRIORITY_MAX}`, [{ path: 'priority', message: 'out of range' }]);
    }
    if (request.ticketMs !== undefined && (!Number.isInteger(request.ticketMs) || request.ticketMs < 0 || request.ticketMs >= PRIORITY_BAND)) {
      throw new AppError('VALIDATION_FAILED', 'ticketMs must be a queue ticket (ms)', [{ path: 'ticketMs', message: 'out of range' }]);
    }
    const out = await this.runRaw('enqueue_callback', {
      callId: request.callId, queueId: request.queueId, number: request.number, priority,
      ticket: request.ticketMs, meta: request.meta ? JSON.stringify(request.meta) : undefined, heldBack: request.heldBack === true ? '1' : undefined,
    });
    return { reservations: this.reservationsOf(out), position: numberOr(out.position, null) };
  }

  /** Where the call is in line and how long it will probably still wait. */
  async position(callId: string): Promise<QueuePosition> {
    requireId(callId, 'callId');
    const out = await this.runRaw('position', { callId });
    const state = stringOr(out.state, 'waiting');
    const position = numberOr(out.position, null);
    let estimatedWaitMs: number | 'unknown' = 'unknown';
    if (position !== null) {
      const states = pairsToNumbers(out.states);
      const serving = (['ready', 'reserved', 'on_call', 'wrap_up'] as const).reduce((n, s) => n + (states[s] ?? 0), 0);
      const estimate = estimateWait({
        position,
        recentHandleTimesMs: asList(out.recent).map(Number),
        agentsServing: serving,
        agentsReady: states.ready ?? 0,
      });
      if (estimate.kind === 'known') estimatedWaitMs = estimate.ms;
    }
    return {
      callId,
      queueId: stringOr(out.queueId, ''),
      state: (QUEUED_CALL_STATES as readonly string[]).includes(state) ? (state as QueuedCallState) : 'waiting',
      kind: out.kind === 'callback' ? 'callback' : 'call',
      waitedMs: numberOr(out.waitedMs, 0),
      position,
      waitingCount: numberOr(out.waiting, null),
      estimatedWaitMs,
    };
  }

  // ---- statistics ----------------------------------------------------------------------------

  /** Live picture of a queue: waiting, agents by state, today and the sliding window. */
  async stats(queueId: string, options: { windowMinutes?: number } = {}): Promise<QueueStats> {
    requireId(queueId, 'queueId');
    const windowMinutes = options.windowMinutes ?? this.settings.statsWindowMinutes;
    if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > this.settings.windowMaxMinutes) {
      throw new AppError('VALIDATION_FAILED', `windowMinutes must be 1–${this.settings.windowMaxMinutes}`);
    }
    const now = this.clock.now();
    const out = await this.runRaw('stats', { queueId, windowMinutes }, now);
    const threshold = numberOr(out.serviceLevelMs, 20_000);
    const states = pairsToNumbers(out.states);
    const agentsByState = Object.fromEntries(AGENT_STATES.map((s) => [s, Math.max(0, states[s] ?? 0)])) as Record<AgentState, number>;
    let window = emptyCounters();
    for (const bucket of asList(out.window)) window = addCounters(window, pairsToNumbers(bucket));
    const today = addCounters(emptyCounters(), pairsToNumbers(out.today));
    return {
      queueId,
      at: now,
      waitingNow: numberOr(out.waiting, 0),
      callbacksWaiting: numberOr(out.callbacks, 0) + numberOr(out.callbacksHeld, 0),
      callbacksHeldBack: numberOr(out.callbacksHeld, 0),
      longestWaitMs: numberOr(out.longestWaitMs, 0),
      agentsByState,
      today: { ...summarisePeriod(today, threshold), day: this.dayOf(now) },
      window: { ...summarisePeriod(window, threshold), windowMs: windowMinutes * 60_000 },
    };
  }

  // ---- reads -----------------------------------------------------------------------------------

  async getAgent(agentId: string): Promise<AgentSnapshot | null> {
    const h = await this.redis.hgetall(this.keys.get('agent', agentId));
    if (!h.state || !h.profile) return null;
    const day = this.dayOf(this.clock.now());
    return {
      id: agentId,
      state: isAgentState(h.state) ? h.state : 'logged_out',
      reason: h.reason ?? '',
      since: Number(h.since ?? 0),
      callId: h.call ? h.call : null,
      idleSince: Number(h.idleSince ?? 0),
      callsToday: h.callsDay === day ? Number(h.callsToday ?? 0) : 0,
      wrapUntil: h.state === 'wrap_up' ? Number(h.wrapUntil ?? 0) : null,
      wrapExtended: h.wrapExtended === '1',
      lastCallId: h.lastCall ? h.lastCall : null,
      profile: JSON.parse(h.profile) as AgentProfile,
    };
  }

  async getCall(callId: string): Promise<CallSnapshot | null> {
    const h = await this.redis.hgetall(this.keys.get('call', callId));
    if (!h.state) return null;
    return {
      id: callId,
      state: (QUEUED_CALL_STATES as readonly string[]).includes(h.state) ? (h.state as QueuedCallState) : 'lost',
      queueId: h.queue ?? '',
      kind: h.kind === 'callback' ? 'callback' : 'call',
      priority: Number(h.priority ?? 0),
      score: Number(h.score ?? 0),
      enqueuedAt: Number(h.enqueuedAt ?? 0),
      queuedAt: Number(h.queuedAt ?? 0),
      owner: h.owner ?? '',
      holder: h.holder ?? '',
      agentId: h.agent ? h.agent : null,
      deadline: h.deadline && h.deadline !== '0' ? Number(h.deadline) : null,
      stageIndex: Math.max(0, Number(h.stageIdx ?? 1) - 1),
      callbackNumber: h.callbackNumber ? h.callbackNumber : null,
      answeredAt: h.answeredAt && h.answeredAt !== '0' ? Number(h.answeredAt) : null,
      callerNumber: h.callerNumber ? h.callerNumber : null,
      meta: parseMeta(h.meta),
    };
  }

  /** Waiting call ids of a queue, first in line first. */
  async waitingCalls(queueId: string): Promise<string[]> {
    return this.redis.zrange(this.keys.get('waiting', queueId), 0, -1);
  }

  // ---- liveness and housekeeping -----------------------------------------------------------

  /** Refreshes this process's heartbeat. Warns when the process had been declared dead meanwhile. */
  async heartbeat(): Promise<void> {
    // The time the heartbeat writes: the guard compares it with when the answer came, and housekeeping shows it to Redis.
    const sentAt = this.clock.now();
    let out: LuaReply;
    try {
      out = await this.runRaw('heartbeat', { ttlMs: this.settings.heartbeatTtlMs }, sentAt);
    } catch (err) {
      this.reapGuard.redisFailed();
      throw err;
    }
    this.reapGuard.heartbeatWritten(this.clock.now(), sentAt);
    if (this.heartbeatSeen && out.wasKnown !== true) {
      // Another process reaped us (we stalled longer than the TTL): what we held is gone.
      this.logger?.error('this process missed its heartbeat and was reaped; its reservations and calls were released');
    }
    this.heartbeatSeen = true;
  }

  /** One housekeeping pass (deadlines, timers, stages, overflow, reaping, safety dispatch). */
  async tick(): Promise<AcdOperationResult & { reaped: number; expired: number; wrapUpsEnded: number; stagesAdvanced: number; overflowed: number }> {
    // Others are declared dead only while this process's own liveness is known good (reap-guard.ts).
    let out: LuaReply;
    try {
      out = await this.runRaw('tick', { reap: this.reapGuard.reapWitness(this.clock.now()) ?? false });
    } catch (err) {
      this.reapGuard.redisFailed();
      throw err;
    }
    return {
      reservations: this.reservationsOf(out),
      reaped: numberOr(out.reaped, 0),
      expired: numberOr(out.expired, 0),
      wrapUpsEnded: numberOr(out.wrapUpsEnded, 0),
      stagesAdvanced: numberOr(out.stagesAdvanced, 0),
      overflowed: numberOr(out.overflowed, 0),
    };
  }

  /**
   * The processes the ACD counts as alive (heartbeating, not reaped), or null
   * while this process may not declare others dead (its own liveness is in
   * doubt, see reap-guard.ts): what a process that closes a dead one's calls
   * goes by, so that it never takes a live process for dead.
   */
  async liveNodes(): Promise<ReadonlySet<string> | null> {
    if (!this.reapGuard.mayReap(this.clock.now())) return null;
    // A member whose heartbeat lapsed is not dead yet: housekeeping reaps it (releasing its agents) and only then
    // does it leave the set. Going by the set keeps the two in step.
    const alive = new Set(await this.redis.smembers(this.keys.get('nodes')));
    alive.add(this.nodeId);
    return alive;
  }

  /** Only the reaping part of tick(): release what dead processes held; no new assignments. */
  async reap(): Promise<{ reaped: number }> {
    const out = await this.runRaw('reap', {});
    return { reaped: numberOr(out.reaped, 0) };
  }

  /**
   * Starts heartbeating and housekeeping. The first heartbeat is written
   * before this resolves, so calls enqueued afterwards are protected by it.
   */
  async start(): Promise<void> {
    if (this.loops.length > 0) return;
    await this.prepare();
    await this.delivery.start();
    await this.heartbeat();
    const warn = (what: string) => (err: unknown): void => this.logger?.warn({ err }, `acd ${what} failed`);
    // Separate loops, so that a slow housekeeping run never delays the heartbeat.
    this.loops = [
      new RepeatingTask(this.settings.heartbeatIntervalMs, () => this.heartbeat(), warn('heartbeat')),
      new RepeatingTask(this.settings.tickIntervalMs, () => this.tick(), warn('tick')),
    ];
    for (const loop of this.loops) loop.start();
  }

  /**
   * Stops housekeeping. With `leave` (default) the process also gives back
   * what it holds at once — reservations return to the queue, its callers are
   * recorded as lost — instead of waiting for the others to reap it.
   */
  async stop(options: { leave?: boolean } = {}): Promise<void> {
    const loops = this.loops;
    this.loops = [];
    this.delivery.stop();
    try {
      await Promise.all(loops.map((loop) => loop.stop()));
    } finally {
      if (options.leave ?? true) await this.runRaw('leave', {});
    }
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private async run(op: AcdOperation, input: object): Promise<AcdOperationResult> {
    return { reservations: this.reservationsOf(await this.runRaw(op, input)) };
  }

  private async runRaw(op: AcdOperation, input: object, now = this.clock.now()): Promise<LuaReply> {
    let raw: unknown;
    try {
      raw = await this.runner.run(this.routingKey, [
        this.keys.prefix, now, this.nodeId, this.random(), this.dayOf(now), this.settingsJson, op, JSON.stringify(input),
      ]);
    } catch (err) {
      throw toAcdError(err);
    }
    const out = parseLuaReply(raw);
    const reservations = asList(out.reservations).map(parseReservation).filter((r): r is Reservation => r !== null);
    // This run may have matched a caller whose leg another process holds: that process rings the agent.
    out.reservations = this.delivery.route(reservations);
    return out;
  }

  private reservationsOf(out: LuaReply): Reservation[] {
    return out.reservations as Reservation[];
  }
}
