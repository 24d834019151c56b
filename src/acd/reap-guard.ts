/**
 * Whether this process may declare others dead now (issue 14). Liveness is a
 * heartbeat key with a TTL in Redis; housekeeping reaps every process whose
 * key is gone. After Redis trouble (an outage, a failover, a restart) every
 * process's key has lapsed alike, and the first housekeeping run back —
 * which runs four times as often as the heartbeat — would reap them all,
 * this process included: waiting callers lost, talking agents sent to
 * wrap-up and offered new calls mid-conversation. The same happens to a
 * process that stalls past the TTL and then ticks before it heartbeats.
 *
 * So a process reaps only when its own heartbeat is fresh (written within
 * the TTL) and, after trouble of its own, once a grace period has passed
 * from its first heartbeat back — time for every live process to heartbeat
 * again. Trouble is a failed heartbeat or housekeeping run, and also a
 * heartbeat answered late: a primary that hangs, or is cut off, holds the
 * connection with no error until a failover moves it (redis-connection.ts).
 *
 * A housekeeping run can be held up the same way after it was judged, and
 * then run on the new primary: so it carries the time its judgement rests
 * on — the time its last heartbeat wrote — as a witness, and the script
 * reaps only if that heartbeat is still this process's last one in Redis and
 * young (operations-lua.ts, tick). Pure: the ACD tells it what happened and when.
 */
export class ReapGuard {
  private lastHeartbeatAt: number | null = null;
  private lastHeartbeatWrote: number | null = null;
  private troubled = false;
  private noReapingBefore = 0;

  constructor(private readonly settings: { heartbeatIntervalMs: number; heartbeatTtlMs: number }) {}

  /** A heartbeat answered later than this after it was sent waited on a stalled Redis (see heartbeatWritten). */
  get lateAfterMs(): number {
    return Math.max(this.settings.heartbeatIntervalMs, this.settings.heartbeatTtlMs - 2 * this.settings.heartbeatIntervalMs);
  }

  /** How long after trouble a process waits before it reaps: one TTL plus two heartbeat intervals. */
  get graceMs(): number {
    return this.settings.heartbeatTtlMs + 2 * this.settings.heartbeatIntervalMs;
  }

  /**
   * A heartbeat was answered at `now`; it was sent, and wrote, at `sentAt`.
   * Answered so late that Redis may have stalled long enough for others'
   * heartbeats to lapse (more than the TTL less two intervals: the others
   * write every interval), it counts as trouble though nothing failed here.
   * A round trip of a second or two on a loaded machine does not: taking it
   * for trouble held back the reaping of a process that had really died.
   */
  heartbeatWritten(now: number, sentAt = now): void {
    if (this.troubled || now - sentAt > this.lateAfterMs) {
      this.troubled = false;
      this.noReapingBefore = now + this.graceMs;
    }
    this.lastHeartbeatAt = now;
    this.lastHeartbeatWrote = sentAt;
  }

  /** A heartbeat or housekeeping run failed to reach Redis. */
  redisFailed(): void {
    this.troubled = true;
  }

  mayReap(now: number): boolean {
    return !this.troubled && this.lastHeartbeatAt !== null && now - this.lastHeartbeatAt < this.settings.heartbeatTtlMs && now >= this.noReapingBefore;
  }

  /** What a housekeeping run shows Redis when it may reap: the time its last heartbeat wrote; null: reap nobody. */
  reapWitness(now: number): number | null {
    return this.mayReap(now) ? this.lastHeartbeatWrote : null;
  }
}
