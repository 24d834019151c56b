import Redis from 'ioredis';
import { startTestRedis } from '../../helpers/test-env';
import { Acd, ManualClock, readAllAcdEvents, type AcdEvent, type AcdOptions, type AgentProfile } from '../../../src/acd';

/**
 * One real redis-server per test file, flushed between tests, plus helpers to
 * build ACD instances on a manual clock. Everything it opens, close() closes.
 */
export class AcdHarness {
  readonly clock = new ManualClock();
  private readonly clients: Redis[] = [];
  private readonly instances: Acd[] = [];

  private constructor(
    readonly redis: Redis,
    readonly port: number,
    private readonly server: { stop(): Promise<void> },
  ) {}

  static async start(): Promise<AcdHarness> {
    const server = await startTestRedis();
    const redis = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 1 });
    const harness = new AcdHarness(redis, server.port, server);
    harness.clients.push(redis);
    return harness;
  }

  /** A new connection of its own (for a second "process", or a subscriber). */
  connect(): Redis {
    const client = new Redis({ host: '127.0.0.1', port: this.port, maxRetriesPerRequest: 1 });
    this.clients.push(client);
    return client;
  }

  /** An ACD on the shared clock; it has heartbeated once. */
  async acd(options: Partial<AcdOptions> = {}): Promise<Acd> {
    const acd = new Acd({ redis: this.redis, clock: this.clock, nodeId: `node-${this.instances.length + 1}`, ...options });
    this.instances.push(acd);
    await acd.heartbeat();
    return acd;
  }

  async reset(): Promise<void> {
    await this.redis.flushall();
  }

  async events(acd: Acd): Promise<AcdEvent[]> {
    return readAllAcdEvents(this.redis, acd.keys);
  }

  async close(): Promise<void> {
    try {
      await Promise.allSettled(this.instances.map((acd) => acd.stop({ leave: false })));
      for (const client of this.clients) client.disconnect();
    } finally {
      await this.server.stop();
    }
  }
}

/** An operator profile with sensible defaults. */
export function operator(id: string, overrides: Partial<AgentProfile> = {}): AgentProfile {
  return { id, name: id.toUpperCase(), kind: 'operator', skills: {}, languages: ['ru'], queues: ['sales'], ...overrides };
}

/** The events of one type, narrowed. */
export function ofType<T extends AcdEvent['type']>(events: AcdEvent[], type: T): Extract<AcdEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AcdEvent, { type: T }> => e.type === type);
}
