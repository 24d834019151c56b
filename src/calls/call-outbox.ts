import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type Redis from 'ioredis';
import { withTimeout } from './with-timeout';

/** The list of call records waiting for Postgres. */
export const DEFAULT_CALL_OUTBOX_KEY = 'sb:outbox:calls';

// Removes one item from a list and appends (or prepends) it to another, as one step, only if
// it was still there: an item taken back by a reclaimer must not be moved twice.
const MOVE_ITEM_LUA = `
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then
  if ARGV[2] == 'head' then redis.call('LPUSH', KEYS[2], ARGV[1]) else redis.call('RPUSH', KEYS[2], ARGV[1]) end
  return 1
end
return 0`;

export interface CallOutboxOptions {
  /** Shared with the rest of the process; the outbox never closes it. No keyPrefix expected. */
  readonly redis: Redis;
  /**
   * The outbox list. Related keys hang off it (`<key>:processing:<drainer>`,
   * `<key>:dead`, `<key>:drainers`); under Redis Cluster give a hash-tagged key
   * (`sb:outbox:{calls}`) so they share a slot, as LMOVE and the scripts need.
   */
  readonly key?: string;
  /** This drainer's name. A stable one lets a restarted process take its own processing list back at once. */
  readonly drainerId?: string;
  /** Longest any Redis command may take before it counts as failed (default 2000 ms). */
  readonly commandTimeoutMs?: number;
}

/** How many items are where. */
export interface CallOutboxCounts {
  /** Waiting in the outbox. */
  readonly pending: number;
  /** Taken by a drainer (any process) and not yet confirmed written. */
  readonly processing: number;
  /** Set aside because they can never be written as they are (see CallRecordWriter). */
  readonly deadLetters: number;
}

/**
 * The durable Redis side of the call-record outbox: a FIFO list (RPUSH at the
 * tail, taken from the head), a processing list per drainer, a dead-letter
 * list and a registry of drainers with heartbeats.
 *
 * A drainer moves the head item into its own processing list (LMOVE, one
 * atomic step) and removes it only after Postgres committed it. A crash in
 * between leaves it in that processing list; once the drainer's heartbeat is
 * older than the staleness limit any other drainer moves its items back to the
 * head of the outbox, in their order. So an item is never lost, and an item
 * written twice (a drainer presumed dead that was only slow) is harmless
 * because every write is idempotent. Durability across a Redis restart is
 * Redis's AOF (design §4: Redis runs with appendonly on).
 */
export class CallOutbox {
  readonly key: string;
  readonly drainerId: string;
  readonly processingKey: string;
  readonly deadKey: string;
  readonly drainersKey: string;
  private readonly redis: Redis;
  private readonly timeoutMs: number;

  constructor(options: CallOutboxOptions) {
    this.redis = options.redis;
    this.key = options.key ?? DEFAULT_CALL_OUTBOX_KEY;
    this.drainerId = options.drainerId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.processingKey = this.processingKeyOf(this.drainerId);
    this.deadKey = `${this.key}:dead`;
    this.drainersKey = `${this.key}:drainers`;
    this.timeoutMs = options.commandTimeoutMs ?? 2000;
  }

  /** Appends an item at the tail. */
  async push(raw: string): Promise<void> {
    await this.run(this.redis.rpush(this.key, raw), 'RPUSH outbox');
  }

  /** Appends an item to the dead letters straight away (it failed for good before it was ever queued). */
  async pushDead(raw: string): Promise<void> {
    await this.run(this.redis.rpush(this.deadKey, raw), 'RPUSH dead letters');
  }

  /**
   * The next item this drainer should write: the head of its own processing
   * list if an earlier attempt left one there (keeps the order), else the head
   * of the outbox, moved into the processing list. Null when nothing waits.
   */
  async take(): Promise<string | null> {
    const own = await this.run(this.redis.lindex(this.processingKey, 0), 'LINDEX processing');
    if (own !== null) return own;
    return this.run(this.redis.lmove(this.key, this.processingKey, 'LEFT', 'RIGHT'), 'LMOVE outbox');
  }

  /** The item is committed in Postgres: forget it. */
  async complete(raw: string): Promise<void> {
    await this.run(this.redis.lrem(this.processingKey, 1, raw), 'LREM processing');
  }

  /** The item cannot be written yet (its call is not stored yet): to the tail of the outbox. */
  async requeue(raw: string): Promise<boolean> {
    return this.moveItem(this.processingKey, this.key, raw, 'tail');
  }

  /** The item can never be written as it is: kept aside for a person to look at. */
  async deadLetter(raw: string): Promise<boolean> {
    return this.moveItem(this.processingKey, this.deadKey, raw, 'tail');
  }

  /** Records that this drainer is alive, at Redis's clock (processes' clocks may disagree). Returns that time. */
  async heartbeat(): Promise<number> {
    const now = await this.serverTime();
    await this.run(this.redis.zadd(this.drainersKey, now, this.drainerId), 'ZADD drainers');
    return now;
  }

  /**
   * Puts back, at the head of the outbox and in their order, the items of
   * drainers not heard from for `staleAfterMs` (crashed, killed, cut off).
   * Returns how many items came back.
   */
  async reclaimStale(staleAfterMs: number): Promise<number> {
    const now = await this.serverTime();
    const stale = await this.run(this.redis.zrangebyscore(this.drainersKey, '-inf', now - staleAfterMs), 'ZRANGEBYSCORE drainers');
    let moved = 0;
    for (const drainer of stale) {
      if (drainer === this.drainerId) continue;
      moved += await this.drainList(this.processingKeyOf(drainer));
      await this.run(this.redis.zrem(this.drainersKey, drainer), 'ZREM drainers');
    }
    return moved;
  }

  /** Graceful stop: this drainer's unfinished items go back to the head of the outbox, and it leaves the registry. */
  async release(): Promise<number> {
    const moved = await this.drainList(this.processingKey);
    await this.run(this.redis.zrem(this.drainersKey, this.drainerId), 'ZREM drainers');
    return moved;
  }

  /** Moves every dead letter back to the outbox (after the cause was fixed). Returns how many. */
  async replayDeadLetters(): Promise<number> {
    let moved = 0;
    while ((await this.run(this.redis.lmove(this.deadKey, this.key, 'LEFT', 'RIGHT'), 'LMOVE dead letters')) !== null) moved += 1;
    return moved;
  }

  async counts(): Promise<CallOutboxCounts> {
    const drainers = await this.run(this.redis.zrange(this.drainersKey, 0, -1), 'ZRANGE drainers');
    const pipeline = this.redis.pipeline().llen(this.key).llen(this.deadKey);
    for (const drainer of drainers) pipeline.llen(this.processingKeyOf(drainer));
    const replies = (await this.run(pipeline.exec(), 'LLEN outbox')) ?? [];
    const lengths = replies.map(([err, value]) => {
      if (err) throw err;
      return Number(value);
    });
    const [pending = 0, deadLetters = 0, ...processing] = lengths;
    return { pending, deadLetters, processing: processing.reduce((sum, n) => sum + n, 0) };
  }

  /** Raw contents, head first (tests, inspection). */
  async peek(which: 'pending' | 'processing' | 'dead'): Promise<string[]> {
    const key = which === 'pending' ? this.key : which === 'processing' ? this.processingKey : this.deadKey;
    return this.run(this.redis.lrange(key, 0, -1), 'LRANGE');
  }

  private processingKeyOf(drainer: string): string {
    return `${this.key}:processing:${drainer}`;
  }

  /** Tail-first onto the head of the outbox, so the items keep their order in front of newer ones. */
  private async drainList(list: string): Promise<number> {
    let moved = 0;
    while ((await this.run(this.redis.lmove(list, this.key, 'RIGHT', 'LEFT'), 'LMOVE reclaim')) !== null) moved += 1;
    return moved;
  }

  private async moveItem(from: string, to: string, raw: string, end: 'head' | 'tail'): Promise<boolean> {
    const moved = await this.run(this.redis.eval(MOVE_ITEM_LUA, 2, from, to, raw, end), 'move item');
    return moved === 1;
  }

  private async serverTime(): Promise<number> {
    const [seconds, micros] = await this.run(this.redis.time(), 'TIME');
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  private run<T>(command: Promise<T>, what: string): Promise<T> {
    return withTimeout(command, this.timeoutMs, `Redis ${what}`);
  }
}
