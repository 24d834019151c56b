import type Redis from 'ioredis';
import type { Acd, AcdEvent, AgentSnapshot } from '../acd';
import { subscribeAcdEvents } from '../acd';
import type { Logger } from '../logger';
import { sessionIdOfAcdCall } from '../acd/session-call-ids';
import type { CallCard } from './call-card';
import type { AgentMessage, AgentStateView } from './schemas/softphone-schemas';

export type { AgentMessage, AgentStateView } from './schemas/softphone-schemas';

export type AgentMessageSink = (message: AgentMessage) => void;

export interface AgentEventHubOptions {
  /** A normal connection; the hub subscribes on a duplicate of its own. */
  redis: Redis;
  acd: Acd;
  logger: Logger;
  /** The client card of a call offered to `staffId` (null when it cannot be built). */
  card: (callId: string, staffId: number) => Promise<CallCard | null>;
}

/** The agent snapshot as the softphone shows it. */
export function agentStateView(agent: AgentSnapshot): AgentStateView {
  // In wrap-up the ACD no longer holds the call on the agent: the form is for the call just ended.
  const acdCallId = agent.state === 'wrap_up' ? agent.lastCallId : agent.callId;
  return { state: agent.state, reason: agent.reason, since: agent.since, wrapUpUntil: agent.wrapUntil, callId: acdCallId ? sessionIdOfAcdCall(acdCallId) : null };
}

/** ACD events that end a call for the agent named in them. */
const ENDING_EVENTS: ReadonlySet<AcdEvent['type']> = new Set(['call_completed', 'call_abandoned', 'call_released', 'call_lost']);

/**
 * Fans the ACD's live events (Redis pub/sub, so changes made by any
 * Switchboard process arrive) out to the softphones of the agents they are
 * about. One subscription per process whatever the number of sockets; an
 * event for an agent with no socket here costs a map lookup.
 *
 * Messages for one agent are produced strictly in order — a per-agent chain
 * of tasks — so that a new socket's hello (its full state) comes before any
 * change that follows it, and two quick changes never arrive swapped.
 */
export class AgentEventHub {
  private readonly sinks = new Map<number, Set<AgentMessageSink>>();
  private readonly chains = new Map<number, Promise<void>>();
  private readonly logger: Logger;
  private subscriber: Redis | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(private readonly options: AgentEventHubOptions) {
    this.logger = options.logger.child({ module: 'agent-events' });
  }

  /** Subscribes to the ACD's event channel; resolves once the subscription is active. */
  async start(): Promise<void> {
    if (this.subscriber) return;
    const subscriber = this.options.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('error', (err: Error) => this.logger.debug({ err: err.message }, 'agent event subscriber connection error'));
    this.subscriber = subscriber;
    try {
      this.unsubscribe = await subscribeAcdEvents(subscriber, this.options.acd.keys, (event) => this.onEvent(event));
    } catch (err) {
      this.subscriber = null;
      subscriber.disconnect();
      throw err;
    }
  }

  /** Unsubscribes, waits for messages being produced, and drops every sink. */
  async stop(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = null;
    try {
      await this.unsubscribe?.().catch((err: unknown) => this.logger.debug({ err }, 'unsubscribe failed'));
      await Promise.allSettled([...this.chains.values()]);
    } finally {
      this.unsubscribe = null;
      subscriber?.disconnect();
      this.sinks.clear();
      this.chains.clear();
    }
  }

  /** Sockets attached now (tests assert it returns to zero). */
  get connections(): number {
    let n = 0;
    for (const set of this.sinks.values()) n += set.size;
    return n;
  }

  /**
   * Attaches a socket of `staffId`: it first gets a hello with the agent's
   * current state, then every change. Returns the detach function (call it
   * when the socket closes).
   */
  attach(staffId: number, sink: AgentMessageSink): () => void {
    let set = this.sinks.get(staffId);
    if (!set) {
      set = new Set();
      this.sinks.set(staffId, set);
    }
    set.add(sink);
    this.enqueue(staffId, async () => {
      const agent = await this.options.acd.getAgent(String(staffId));
      sink({ type: 'hello', staffId, agent: agent ? agentStateView(agent) : null });
    });
    return () => {
      const current = this.sinks.get(staffId);
      current?.delete(sink);
      if (current?.size === 0) this.sinks.delete(staffId);
    };
  }

  /** Sends a message that is not an ACD event (a notification) to the staff member's sockets here, in order with the rest. */
  deliver(staffId: number, message: AgentMessage): void {
    if (!this.sinks.has(staffId)) return;
    this.enqueue(staffId, () => {
      this.broadcast(staffId, message);
      return Promise.resolve();
    });
  }

  private onEvent(event: AcdEvent): void {
    if (!('agentId' in event) || typeof event.agentId !== 'string' || !/^\d+$/.test(event.agentId)) return;
    const staffId = Number(event.agentId);
    if (!this.sinks.has(staffId)) return;
    this.enqueue(staffId, async () => {
      const message = await this.messageFor(event, staffId);
      if (message) this.broadcast(staffId, message);
    });
  }

  private async messageFor(event: AcdEvent, staffId: number): Promise<AgentMessage | null> {
    if (event.type === 'agent_state') {
      // wrap-up's end time is set by the same atomic step; only the snapshot carries it.
      const wrapUpUntil = event.to === 'wrap_up' ? (await this.options.acd.getAgent(event.agentId))?.wrapUntil ?? null : null;
      return { type: 'agent.state', state: event.to, reason: event.reason ?? '', since: event.ts, wrapUpUntil };
    }
    if (event.type === 'call_offered') {
      const callId = sessionIdOfAcdCall(event.callId);
      const [entry, card] = await Promise.all([
        this.options.acd.getCall(event.callId),
        this.options.card(callId, staffId).catch((err: unknown) => {
          this.logger.warn({ err, callId }, 'client card for an offered call could not be built');
          return null;
        }),
      ]);
      const meta = entry?.meta ?? {};
      const clientId = typeof meta.clientId === 'number' ? meta.clientId : null;
      const reason = typeof meta.reason === 'string' ? meta.reason : '';
      return { type: 'call.offered', callId, clientId, reason, queue: event.queueId, card };
    }
    if (ENDING_EVENTS.has(event.type) && 'callId' in event) return { type: 'call.ended', callId: sessionIdOfAcdCall(event.callId) };
    return null;
  }

  private broadcast(staffId: number, message: AgentMessage): void {
    for (const sink of [...(this.sinks.get(staffId) ?? [])]) {
      try {
        sink(message);
      } catch (err) {
        this.logger.warn({ err, staffId }, 'an agent socket refused a message');
      }
    }
  }

  private enqueue(staffId: number, task: () => Promise<void>): void {
    const previous = this.chains.get(staffId) ?? Promise.resolve();
    const next = previous
      .then(task)
      .catch((err: unknown) => this.logger.warn({ err, staffId }, 'agent event could not be delivered'))
      .finally(() => {
        if (this.chains.get(staffId) === next) this.chains.delete(staffId);
      });
    this.chains.set(staffId, next);
  }
}
