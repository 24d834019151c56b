import type Redis from 'ioredis';
import type { Logger } from '../logger';
import type { CallCheckpoint } from './call-checkpoint';
import { withTimeout } from './with-timeout';

/** Default key prefix of the live calls' checkpoints. */
export const DEFAULT_CHECKPOINT_PREFIX = 'sb:calls:live';

// Removes one checkpoint; the node leaves the index when it has none left.
const FORGET_LUA = `
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1`;

// Gives a closing claim back only if it is still ours.
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Where live calls' checkpoints wait (issue 14), in the Redis the ACD and the
 * call-record outbox use (AOF, design §4):
 *
 *  key                               type    holds                                  lifetime
 *  --------------------------------  ------  -------------------------------------  ------------------------------
 *  <prefix>:nodes                    set     processes that hold checkpoints        member removed with its last one
 *  <prefix>:node:<nodeId>            hash    call id → CallCheckpoint JSON          field removed when the call is stored
 *  <prefix>:closing:<nodeId>         string  the process closing a dead one's calls PEXPIRE claim
 *
 * A process saves each of its calls under its ACD node id (whose liveness the
 * ACD tracks) and removes it once the call's record is stored.
 */
export class CallCheckpointStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(options: { redis: Redis; prefix?: string; commandTimeoutMs?: number }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? DEFAULT_CHECKPOINT_PREFIX;
    this.timeoutMs = options.commandTimeoutMs ?? 2000;
  }

  private nodesKey(): string {
    return `${this.prefix}:nodes`;
  }

  private nodeKey(nodeId: string): string {
    return `${this.prefix}:node:${nodeId}`;
  }

  private run<T>(what: string, work: Promise<T>): Promise<T> {
    return withTimeout(work, this.timeoutMs, `checkpoint ${what}`);
  }

  /** Saves (or replaces) a call's checkpoint. */
  async save(nodeId: string, checkpoint: CallCheckpoint): Promise<void> {
    await this.run('save', this.redis.multi()
      .hset(this.nodeKey(nodeId), checkpoint.snapshot.facts.id, JSON.stringify(checkpoint))
      .sadd(this.nodesKey(), nodeId)
      .exec());
  }

  /** Removes a call's checkpoint (its record is stored). */
  async forget(nodeId: string, callId: string): Promise<void> {
    await this.run('forget', this.redis.eval(FORGET_LUA, 2, this.nodeKey(nodeId), this.nodesKey(), callId, nodeId));
  }

  /** Every process that holds checkpoints now. */
  async nodes(): Promise<string[]> {
    return this.run('nodes', this.redis.smembers(this.nodesKey()));
  }

  /** A process's checkpoints, raw (parseCallCheckpoint reads them). */
  async list(nodeId: string): Promise<Array<{ callId: string; raw: string }>> {
    const all = await this.run('list', this.redis.hgetall(this.nodeKey(nodeId)));
    return Object.entries(all).map(([callId, raw]) => ({ callId, raw }));
  }

  /** Takes the right to close a dead process's calls for `ttlMs`; false when another process has it. */
  async claim(nodeId: string, claimer: string, ttlMs: number): Promise<boolean> {
    return (await this.run('claim', this.redis.set(`${this.prefix}:closing:${nodeId}`, claimer, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  /** Gives the claim back (when it is still this claimer's). */
  async release(nodeId: string, claimer: string): Promise<void> {
    await this.run('release', this.redis.eval(RELEASE_LUA, 1, `${this.prefix}:closing:${nodeId}`, claimer));
  }
}

/**
 * Keeps one live call's checkpoint current: every change saves it (one save
 * at a time; changes during a save give one more save after it), and finish()
 * removes it once the call's record is stored. Redis trouble is logged and
 * never reaches the call: the checkpoint is a safety net, the call goes on.
 */
export class CallCheckpointer {
  private saving: Promise<void> | null = null;
  private dirty = false;
  private finished = false;

  constructor(private readonly options: { store: CallCheckpointStore; nodeId: string; take: () => CallCheckpoint; log: Logger }) {}

  /** The call changed: save its checkpoint (soon, without waiting). */
  changed(): void {
    if (this.finished) return;
    if (this.saving) {
      this.dirty = true;
      return;
    }
    this.saving = this.saveUntilClean().finally(() => {
      this.saving = null;
    });
  }

  /** The call's record is stored: the checkpoint goes (after any save under way). Never throws. */
  async finish(): Promise<void> {
    this.finished = true;
    await this.saving;
    const { store, nodeId, take, log } = this.options;
    try {
      await store.forget(nodeId, take().snapshot.facts.id);
    } catch (err) {
      log.warn({ err }, 'call checkpoint could not be removed: a survivor may close this call again (its stored record stays)');
    }
  }

  private async saveUntilClean(): Promise<void> {
    const { store, nodeId, take, log } = this.options;
    do {
      this.dirty = false;
      try {
        await store.save(nodeId, take());
      } catch (err) {
        log.warn({ err }, 'call checkpoint not saved');
      }
    } while (this.dirty && !this.finished);
  }
}
