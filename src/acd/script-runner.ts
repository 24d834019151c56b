import type Redis from 'ioredis';
import type { LuaScript } from './lua/acd-script';

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/**
 * Runs a Lua script by EVALSHA, loading it on first use and again whenever
 * Redis has forgotten it (restart, failover, SCRIPT FLUSH). After load() the
 * steady state is exactly one round trip per run; `roundTrips` counts them so
 * the benchmark can prove it.
 */
export class ScriptRunner {
  /** Requests sent to Redis by this runner (EVALSHA, plus SCRIPT LOAD on a miss). */
  roundTrips = 0;

  constructor(
    private readonly redis: Redis,
    private readonly script: LuaScript,
  ) {}

  /** Loads the script so that the first real run does not pay for it. */
  async load(): Promise<void> {
    this.roundTrips += 1;
    const sha = await this.redis.script('LOAD', this.script.source);
    if (sha !== this.script.sha1) throw new Error(`Redis computed ${String(sha)} for script ${this.script.name}, expected ${this.script.sha1}`);
  }

  /**
   * One EVALSHA. `routingKey` is declared as the script's only key: the script
   * builds its key names from the arguments, and the declared key is what lets
   * Redis Cluster (and cluster-aware clients) send the run to the node owning
   * that hash slot.
   */
  async run(routingKey: string, args: readonly (string | number)[]): Promise<unknown> {
    this.roundTrips += 1;
    try {
      return await this.redis.evalsha(this.script.sha1, 1, routingKey, ...args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      await this.load();
      this.roundTrips += 1;
      return this.redis.evalsha(this.script.sha1, 1, routingKey, ...args);
    }
  }
}
