/**
 * Redis key layout of the ACD. Every key starts with a configurable prefix
 * (default `sb:{acd}:`); `{x}` below is a variable part. This table is the single
 * source of truth: the Lua scripts get their key builders generated from it
 * (lua/acd-script.ts), and TypeScript reads keys through AcdKeys.
 *
 *  key                           type    holds
 *  ----------------------------  ------  ---------------------------------------------------------
 *  agents                        set     ids of every registered agent
 *  agentseq                      string  counter giving each new agent its default linear order
 *  agent:{agentId}               hash    state, reason, since, call, idleSince, callsDay/Today,
 *                                        wrapUntil, wrapExtended, profile (JSON), seq
 *  queues                        set     ids of every defined queue
 *  queue:{queueId}               hash    config (JSON), lastTicket (FIFO tie-break), rrScore/rrId
 *                                        (round-robin memory)
 *  q:{queueId}:members           set     agents serving the queue (any state)
 *  q:{queueId}:states            hash    agent state → how many members are in it
 *  q:{queueId}:waiting           zset    waiting calls (and callback requests) → queue score
 *                                        (priority band + ticket; see queue-score.ts)
 *  q:{queueId}:since             zset    waiting calls → time they entered this queue (longest wait)
 *  q:{queueId}:aht               list    recent handle times in ms, newest first (estimated wait)
 *  ready:q:{queueId}             zset    ready members → strategy score (idle since, calls today,
 *                                        order)
 *  ready:q:{queueId}:s:{skill}   zset    the same, only members having that skill (any level): a
 *                                        stage requiring skills scans this instead of every ready
 *                                        member, so unqualified agents are never even visited
 *  ready:d:{department}          zset    ready agents of a department → idle since
 *  ready:k:{kind}                zset    ready agents of a kind → idle since
 *  want:q:{queueId}              zset    waiting calls whose active stage takes any queue agent
 *  want:a:{agentId}              zset    waiting calls whose active stage names this agent
 *  want:d:{department}           zset    waiting calls whose active stage takes the department
 *  want:k:{kind}                 zset    waiting calls whose active stage takes that kind
 *  call:{callId}                 hash    state, queue, score, times, stages (JSON), agent, owner,
 *                                        holder, deadline, kind (call|callback), meta (JSON)
 *  resv                          zset    reserved/offered calls → reservation deadline
 *  wrapups                       zset    agents in wrap-up → when it ends
 *  stagedue                      zset    waiting calls → when their next stage starts
 *  overflowdue                   zset    waiting calls → when they reach their queue's max wait
 *  nodes                         set     ids of Switchboard processes that have heartbeated
 *  node:{nodeId}                 string  heartbeat, with a TTL: gone = the process is dead
 *  node:{nodeId}:held            set     calls whose reservation this process holds (must ring)
 *  node:{nodeId}:owned           set     calls whose caller leg this process holds
 *  st:{queueId}:d:{day}          hash    counters for one day (queue-stats.ts RawQueueCounters)
 *  st:{queueId}:m:{minute}       hash    counters for one minute bucket (sliding window)
 *  deliver:{nodeId}              pubsub  reservations another process's run made for calls this process
 *                                        holds the caller's leg of (it must ring the agent), as JSON
 *  events                        pubsub  every ACD event as JSON, for live wallboards
 *  events:stream                 stream  the same events, field `e`, for the Postgres writer, which
 *                                        trims only what every consumer group has acknowledged
 *
 * Redis Cluster: one script run touches many of these keys (an agent, a call,
 * several queue indexes, the stream), and Cluster runs a script only when all
 * its keys live in one hash slot. The default prefix therefore carries the hash
 * tag `{acd}`: Cluster hashes only the part between the first `{` and `}`, so
 * every ACD key — whatever follows the prefix — lands in the
 * slot of "acd". Every run also declares one key (`nodes`) so that the cluster
 * routes it to that slot's node. A custom prefix must keep a hash tag (e.g.
 * `tenant1:{acd-t1}:`) for Cluster; standalone Redis and Sentinel accept any
 * prefix. The price is that all ACD load goes to one shard: the ACD scales
 * with that shard's CPU, not with the cluster size (see the benchmark for
 * what one Redis core sustains). The ioredis client given to the ACD must not
 * have its own `keyPrefix`.
 */
export const ACD_KEY_LAYOUT = {
  agents: 'agents',
  agentSeq: 'agentseq',
  agent: 'agent:{agentId}',
  queues: 'queues',
  queue: 'queue:{queueId}',
  members: 'q:{queueId}:members',
  queueStates: 'q:{queueId}:states',
  waiting: 'q:{queueId}:waiting',
  since: 'q:{queueId}:since',
  recentHandle: 'q:{queueId}:aht',
  readyQueue: 'ready:q:{queueId}',
  readySkill: 'ready:q:{queueId}:s:{skill}',
  readyDept: 'ready:d:{department}',
  readyKind: 'ready:k:{kind}',
  wantQueue: 'want:q:{queueId}',
  wantAgent: 'want:a:{agentId}',
  wantDept: 'want:d:{department}',
  wantKind: 'want:k:{kind}',
  call: 'call:{callId}',
  reservations: 'resv',
  wrapUps: 'wrapups',
  stageDue: 'stagedue',
  overflowDue: 'overflowdue',
  nodes: 'nodes',
  node: 'node:{nodeId}',
  held: 'node:{nodeId}:held',
  owned: 'node:{nodeId}:owned',
  statsDay: 'st:{queueId}:d:{day}',
  statsMinute: 'st:{queueId}:m:{minute}',
  events: 'events',
  eventStream: 'events:stream',
} as const;

export type AcdKeyName = keyof typeof ACD_KEY_LAYOUT;

/** Hash-tagged so every ACD key shares one Redis Cluster slot (see above). */
export const DEFAULT_ACD_PREFIX = 'sb:{acd}:';

const PLACEHOLDER = /\{[A-Za-z]+\}/g;

/** Builds ACD key names for one prefix. */
export class AcdKeys {
  constructor(readonly prefix: string = DEFAULT_ACD_PREFIX) {}

  /** The key `name` with its `{…}` parts filled in order. */
  get(name: AcdKeyName, ...parts: string[]): string {
    const pattern: string = ACD_KEY_LAYOUT[name];
    let i = 0;
    const filled = pattern.replace(PLACEHOLDER, () => {
      const part = parts[i++];
      if (part === undefined) throw new RangeError(`key ${name} needs ${String(pattern.match(PLACEHOLDER)?.length)} part(s)`);
      return part;
    });
    if (i !== parts.length) throw new RangeError(`key ${name} takes ${i} part(s), got ${parts.length}`);
    return this.prefix + filled;
  }
}

/**
 * Lua source defining `K.<name>(...)` for every key, used inside the scripts
 * (where `P` is the prefix argument).
 */
export function luaKeyBuilders(): string {
  const lines = ['local K = {}'];
  for (const [name, pattern] of Object.entries(ACD_KEY_LAYOUT)) {
    const params: string[] = [];
    const pieces: string[] = ['P'];
    let last = 0;
    for (const match of pattern.matchAll(PLACEHOLDER)) {
      const literal = pattern.slice(last, match.index);
      if (literal) pieces.push(`'${literal}'`);
      const param = `p${params.length + 1}`;
      params.push(param);
      pieces.push(param);
      last = (match.index ?? 0) + match[0].length;
    }
    const tail = pattern.slice(last);
    if (tail) pieces.push(`'${tail}'`);
    lines.push(`K.${name} = function(${params.join(', ')}) return ${pieces.join(' .. ')} end`);
  }
  return lines.join('\n');
}
