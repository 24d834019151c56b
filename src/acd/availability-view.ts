import type Redis from 'ioredis';
import type { Logger } from '../logger';
import type { AvailabilitySnapshot, Presence } from '../routing/availability-snapshot';
import type { Acd, AgentSnapshot } from './acd';
import type { AgentState } from './agent-state';
import { subscribeAcdEvents } from './event-feed';

const PRESENCE: Record<AgentState, Presence> = {
  logged_out: 'logged_out',
  ready: 'available',
  reserved: 'busy',
  on_call: 'busy',
  wrap_up: 'busy',
  not_ready: 'not_ready',
};

/**
 * Who is there, as routing wants it (design §3 step 4), kept in memory from
 * ACD events with a periodic full refresh. Routing only picks the first
 * target from it; the ACD assigns atomically, so a view a moment old is fine
 * and no call waits on Redis for it.
 */
export class AvailabilityView {
  private readonly agents = new Map<string, AgentSnapshot>();
  private unsubscribe: (() => Promise<void>) | null = null;
  private refresher: NodeJS.Timeout | null = null;

  constructor(
    private readonly acd: Acd,
    /** A connection of its own: it enters subscriber mode. */
    private readonly subscriber: Redis,
    /** The agents to watch (the directory's staff ids), asked again at every refresh. */
    private readonly agentIds: () => Promise<string[]>,
    private readonly logger: Logger,
    private readonly refreshMs = 10_000,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await subscribeAcdEvents(this.subscriber, this.acd.keys, (event) => {
      if (event.type === 'agent_state') {
        const known = this.agents.get(event.agentId);
        if (known) this.agents.set(event.agentId, { ...known, state: event.to, reason: event.reason ?? '', since: event.ts });
        else this.refreshAgent(event.agentId);
      } else if (event.type === 'agent_updated') {
        this.refreshAgent(event.agentId);
      }
    });
    await this.refresh();
    this.refresher = setInterval(() => {
      this.refresh().catch((err: unknown) => this.logger.warn({ err }, 'availability refresh failed'));
    }, this.refreshMs);
    this.refresher.unref();
  }

  async stop(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = null;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    if (unsubscribe) await unsubscribe();
  }

  /** Re-reads every watched agent; agents that disappeared are dropped. */
  async refresh(): Promise<void> {
    const ids = await this.agentIds();
    const snapshots = await Promise.all(ids.map((id) => this.acd.getAgent(id)));
    this.agents.clear();
    for (const snapshot of snapshots) if (snapshot) this.agents.set(snapshot.id, snapshot);
  }

  private refreshAgent(agentId: string): void {
    this.acd
      .getAgent(agentId)
      .then((snapshot) => {
        if (snapshot) this.agents.set(agentId, snapshot);
        else this.agents.delete(agentId);
      })
      .catch((err: unknown) => this.logger.warn({ err, agentId }, 'availability refresh of one agent failed'));
  }

  /**
   * The view for one routing decision. Every queue in `queueNames` is listed,
   * empty ones with zero agents: routing reads a missing queue as staffed.
   */
  snapshot(queueNames: readonly string[]): AvailabilitySnapshot {
    const queues = new Map<string, { loggedIn: number; available: number }>(queueNames.map((q) => [q, { loggedIn: 0, available: 0 }]));
    const staff = [...this.agents.values()].map((agent) => {
      if (agent.state !== 'logged_out') {
        for (const queue of agent.profile.queues) {
          const counts = queues.get(queue) ?? { loggedIn: 0, available: 0 };
          counts.loggedIn++;
          if (agent.state === 'ready') counts.available++;
          queues.set(queue, counts);
        }
      }
      return { staffId: Number(agent.id), presence: PRESENCE[agent.state] };
    });
    return {
      staff: staff.filter((s) => Number.isInteger(s.staffId)),
      queues: [...queues.entries()].map(([queue, c]) => ({ queue, agentsLoggedIn: c.loggedIn, agentsAvailable: c.available })),
    };
  }
}
