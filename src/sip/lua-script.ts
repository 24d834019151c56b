import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * A Lua script run by EVALSHA, sent in full only when Redis does not know it
 * yet (first use, restart, failover, SCRIPT FLUSH). Keys are always declared,
 * so Redis Cluster can route the run (see sip-keys.ts for the hash tags).
 */
export class LuaScript {
  readonly sha1: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha1 = createHash('sha1').update(source, 'utf8').digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha1, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
