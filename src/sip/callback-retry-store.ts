import type Redis from 'ioredis';
import type { CallbackEntry } from './callback-retry-policy';
import { LuaScript } from './lua-script';

/**
 * Callback entries waiting for their time (a retry after its delay, a
 * callback held back for its client's calling window), shared by every
 * process: one sorted set, member = the entry as JSON, score = when it is
 * due. Whichever process takes a due entry first puts it into the ACD; the
 * take is atomic, so an entry is put in once.
 */
export interface ScheduledCallback extends CallbackEntry {
  queueId: string;
  number: string;
  /** The ACD meta of the request (client id, …), carried to each entry. */
  meta: Record<string, unknown>;
}

export interface CallbackRetryStore {
  schedule(entry: ScheduledCallback): Promise<void>;
  /** Takes (removes) up to `limit` entries due at `now`, oldest first. */
  takeDue(now: number, limit: number): Promise<ScheduledCallback[]>;
  /** Every entry still waiting, soonest first (for managers and tests). */
  waiting(): Promise<ScheduledCallback[]>;
}

// KEYS[1] the set; ARGV now, limit. Returns the members taken.
const TAKE_DUE = new LuaScript('callback-retry-take', `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due
`);

function parse(member: string): ScheduledCallback | null {
  try {
    const value = JSON.parse(member) as ScheduledCallback;
    return typeof value.callId === 'string' && typeof value.queueId === 'string' && typeof value.number === 'string' ? value : null;
  } catch {
    return null;
  }
}

export class RedisCallbackRetryStore implements CallbackRetryStore {
  constructor(private readonly redis: Redis, private readonly key = 'sb:callback-retries') {}

  async schedule(entry: ScheduledCallback): Promise<void> {
    await this.redis.zadd(this.key, entry.dueAt, JSON.stringify(entry));
  }

  async takeDue(now: number, limit: number): Promise<ScheduledCallback[]> {
    const taken = await TAKE_DUE.run(this.redis, [this.key], [now, limit]);
    return (Array.isArray(taken) ? taken : []).flatMap((m) => {
      const entry = typeof m === 'string' ? parse(m) : null;
      return entry ? [entry] : [];
    });
  }

  async waiting(): Promise<ScheduledCallback[]> {
    const members = await this.redis.zrange(this.key, 0, -1);
    return members.flatMap((m) => {
      const entry = parse(m);
      return entry ? [entry] : [];
    });
  }
}
