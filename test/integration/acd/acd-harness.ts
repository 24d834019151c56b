import Redis from 'ioredis';
import { releaseInOrder } from '../../helpers/release';
import { startTestRedis } from '../../helpers/test-env';
import { Acd, ManualClock, readAllAcdEvents, type AcdEvent, type AcdOptions, type AgentProfile } from '../../../src/acd';

type TestRedis = Awaited<ReturnType<typeof startTestRedis>>;

/**
 * One real redis-server per test file, flushed between tests, plus helpers to
 * build ACD instances on a manual clock. Everything it opens, close() closes.
 */
export class AcdHarness {
  readonly clock = new ManualClock();
  private readonly clients: Redis[] = [];
  private readonly instances: Acd[] = [];
  private opened: { redis: Redis; server: TestRedis } | null = null;

  /** A harness already open, for a file that runs its own hooks. */
  static async start(): Promise<AcdHarness> {
    const harness = new AcdHarness();
    await harness.open();
    return harness;
  }

  /** Starts the file's redis-server and the harness's own connection to it. */
  async open(): Promise<void> {
    if (this.opened) throw new Error('the ACD harness is open already');
    const server = await startTestRedis();
    try {
      const redis = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 1 });
      this.clients.push(redis);
      this.opened = { redis, server };
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  get redis(): Redis {
    return this.running().redis;
  }

  get port(): number {
    return this.running().server.port;
  }

  /** What open() made: without it a test fails on this message, not on an undefined connection. */
  private running(): { redis: Redis; server: TestRedis } {
    if (!this.opened) throw new Error('the ACD harness is not open: its open() failed or has not run');
    return this.opened;
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
    const opened = this.opened;
    // Nothing was started (open() failed, and said why): nothing to stop.
    if (!opened) return;
    this.opened = null;
    await releaseInOrder([
      // An ACD a test has stopped itself may refuse a second stop: that must not keep the server running.
      () => Promise.allSettled(this.instances.map((acd) => acd.stop({ leave: false }))),
      ...this.clients.map((client) => () => client.disconnect()),
      () => opened.server.stop(),
    ]);
  }
}

/**
 * The hooks of a test file on the real-Redis ACD: its redis-server started
 * before all tests and closed after them; before each test Redis flushed and
 * a fresh ACD (made with `acdOptions()`) handed to `eachTest`, which keeps it
 * and sets up the file's queues and agents. Returns the harness at once, so
 * that tests can name it; it is open from the first beforeAll on.
 */
export function useAcdHarness(eachTest: (acd: Acd) => void | Promise<void>, acdOptions: () => Partial<AcdOptions> = () => ({})): AcdHarness {
  const harness = new AcdHarness();
  beforeAll(() => harness.open());
  afterAll(() => harness.close());
  beforeEach(async () => {
    await harness.reset();
    await eachTest(await harness.acd(acdOptions()));
  });
  return harness;
}

/** An operator profile with sensible defaults. */
export function operator(id: string, overrides: Partial<AgentProfile> = {}): AgentProfile {
  return { id, name: id.toUpperCase(), kind: 'operator', skills: {}, languages: ['ru'], queues: ['sales'], ...overrides };
}

/** The events of one type, narrowed. */
export function ofType<T extends AcdEvent['type']>(events: AcdEvent[], type: T): Extract<AcdEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AcdEvent, { type: T }> => e.type === type);
}
