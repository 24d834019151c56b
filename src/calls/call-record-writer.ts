import type Redis from 'ioredis';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import { CallOutbox } from './call-outbox';
import type { CallRecord } from './call-record';
import type { CallDetailWriteResult, CallRecordStore } from './call-record-store';
import type { CallClock } from './call-recorder';
import { newOutboxItem, outboxItemCallId, parseOutboxItem, serializeOutboxItem, type OutboxItem } from './outbox-item';
import type { RecordingMetadata, WrapUpRecord } from './recording-metadata';
import { withTimeout } from './with-timeout';

export interface CallRecordWriterOptions {
  /** Where records are stored (Postgres in the system: callRecordStore in src/db). */
  readonly store: CallRecordStore;
  /** Shared; the writer never closes it. Best with enableOfflineQueue off, so commands fail fast while Redis is away. */
  readonly redis: Redis;
  readonly logger: Logger;
  /** Default `sb:outbox:calls`. */
  readonly outboxKey?: string;
  /** Name of this process's drainer (see CallOutbox). */
  readonly drainerId?: string;
  /** Pause between drain passes (default 1000 ms). */
  readonly drainIntervalMs?: number;
  /** Most items one pass writes (default 200). */
  readonly batchSize?: number;
  /** Longest a Postgres write may take before it counts as failed (default 5000 ms). */
  readonly writeTimeoutMs?: number;
  /** Longest a Redis command may take (default 2000 ms). */
  readonly redisTimeoutMs?: number;
  /**
   * After Postgres failed, new records go straight to the outbox for this
   * long instead of each waiting for Postgres to fail again (default 5000 ms);
   * a successful drain ends it early.
   */
  readonly retryDirectAfterMs?: number;
  /** A drainer not heard from for this long is presumed dead and its items are taken back (default 60 s). */
  readonly staleDrainerMs?: number;
  /** A recording or wrap-up whose call row never arrives is set aside after this long (default 24 h). */
  readonly orphanMaxAgeMs?: number;
  readonly clock?: CallClock;
}

/**
 * Where a record went:
 * - written / duplicate: committed in Postgres (duplicate: it already was)
 * - outboxed: Postgres did not take it; it waits in the Redis outbox
 * - dead_lettered: Postgres refused it for good (a bug); kept in Redis for a person, logged as an error
 * - held_in_memory: neither Postgres nor Redis took it; this process retries both, logging errors
 */
export type CallWriteOutcome = 'written' | 'duplicate' | 'outboxed' | 'dead_lettered' | 'held_in_memory';

/** What one drain pass did. */
export interface DrainReport {
  readonly written: number;
  readonly duplicates: number;
  /** Details whose call is not stored yet, sent to the back of the outbox. */
  readonly requeued: number;
  readonly deadLettered: number;
  /** Items taken back from drainers presumed dead. */
  readonly reclaimed: number;
  /** True when Postgres failed: the item stays first in line for the next pass. */
  readonly postgresFailed: boolean;
}

/** Counters since this writer was created. */
export interface CallRecordWriterStats {
  readonly writtenDirect: number;
  readonly writtenFromOutbox: number;
  readonly duplicates: number;
  readonly outboxed: number;
  readonly deadLettered: number;
  /** Items in this process's memory because Redis and Postgres were both unavailable. */
  readonly heldInMemory: number;
  /** True while new records bypass Postgres after a failure. */
  readonly postgresSuspect: boolean;
  readonly lastError: string | null;
}

/** What is waiting, for /readyz and metrics. Redis figures are null when Redis cannot be asked. */
export interface CallRecordsPending {
  readonly outbox: number | null;
  readonly processing: number | null;
  readonly deadLetters: number | null;
  readonly memory: number;
}

interface Held {
  readonly item: OutboxItem;
  readonly raw: string;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/**
 * Gets every finished call (and its recording and wrap-ups) into Postgres,
 * whatever is down.
 *
 * A write goes to Postgres first (one transaction, idempotent). If Postgres
 * cannot be reached, is restarting, cuts the connection or does not answer in
 * time, the item is appended to the durable Redis outbox, and the drainer
 * (start()/stop()) writes the outbox to Postgres in order once it answers
 * again, removing each item only after its commit. If Redis is unavailable too
 * the item stays in this process's memory, an error is logged for every such
 * item, and both are retried on every pass; stop() logs whatever is still held
 * with its full content, so nothing disappears silently.
 *
 * Exactly once: Postgres may commit a write whose acknowledgement is then lost
 * (or that timed out here), and a drainer presumed dead may have written an
 * item that another drainer writes again; the store's writes are
 * idempotent on the call id, the event (call_id, seq), the recording id and
 * (call_id, staff_id), so every repetition is a no-op.
 *
 * Order: one drainer writes the outbox strictly in order (an item that fails
 * stays first in its processing list). Records written directly while older
 * ones still wait in the outbox go ahead of them — call rows do not depend on
 * each other. A recording or wrap-up that arrives before its call row waits in
 * the outbox behind it.
 */
export class CallRecordWriter {
  readonly outbox: CallOutbox;
  private readonly store: CallRecordStore;
  private readonly logger: Logger;
  private readonly clock: CallClock;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly writeTimeoutMs: number;
  private readonly retryDirectAfterMs: number;
  private readonly staleDrainerMs: number;
  private readonly orphanMaxAgeMs: number;
  private readonly memory: Held[] = [];
  /** Until then (clock ms), new items skip Postgres. */
  private directAfter = 0;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private counters = { writtenDirect: 0, writtenFromOutbox: 0, duplicates: 0, outboxed: 0, deadLettered: 0 };
  private lastError: string | null = null;

  constructor(options: CallRecordWriterOptions) {
    this.store = options.store;
    this.logger = options.logger.child({ module: 'call-record-writer' });
    this.clock = options.clock ?? { now: () => Date.now() };
    this.outbox = new CallOutbox({
      redis: options.redis,
      ...(options.outboxKey === undefined ? {} : { key: options.outboxKey }),
      ...(options.drainerId === undefined ? {} : { drainerId: options.drainerId }),
      commandTimeoutMs: options.redisTimeoutMs ?? 2000,
    });
    this.intervalMs = options.drainIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 200;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 5000;
    this.retryDirectAfterMs = options.retryDirectAfterMs ?? 5000;
    this.staleDrainerMs = options.staleDrainerMs ?? 60_000;
    this.orphanMaxAgeMs = options.orphanMaxAgeMs ?? 24 * 3600_000;
  }

  /**
   * Stores a finished call (CallRecorder.end()). Does not reject for an outage:
   * the outcome says where the record went. Rejects (VALIDATION_FAILED) only
   * for a malformed item — a bug at the call site, better seen there than as a
   * dead letter later.
   */
  writeCall(record: CallRecord): Promise<CallWriteOutcome> {
    return this.submit(newOutboxItem({ kind: 'call', record }, this.clock.now()));
  }

  /** Stores a converted recording's metadata; it waits for its call row if that is not stored yet. Rejects as writeCall. */
  writeRecording(recording: RecordingMetadata): Promise<CallWriteOutcome> {
    return this.submit(newOutboxItem({ kind: 'recording', recording }, this.clock.now()));
  }

  /** Stores an agent's wrap-up; it waits for its call row if that is not stored yet. Rejects as writeCall. */
  writeWrapUp(wrapUp: WrapUpRecord): Promise<CallWriteOutcome> {
    return this.submit(newOutboxItem({ kind: 'wrap_up', wrapUp }, this.clock.now()));
  }

  /** Starts the drainer: a pass every `drainIntervalMs` until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /**
   * Stops the drainer after the pass in progress, tries once more to get
   * records held in memory out, hands this drainer's unfinished items back to
   * the outbox for the others, and clears its timer. Records that are still
   * only in memory are logged in full as errors.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    try {
      await this.flushMemory();
      await this.outbox.release();
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'could not hand unfinished outbox items back on stop; another drainer takes them once this one is stale');
    } finally {
      for (const held of this.memory) {
        this.logger.error({ callId: outboxItemCallId(held.item), item: held.raw }, 'call record NOT stored: Postgres and Redis unavailable at shutdown (full record in this log line)');
      }
    }
  }

  get stats(): CallRecordWriterStats {
    return {
      ...this.counters,
      heldInMemory: this.memory.length,
      postgresSuspect: this.clock.now() < this.directAfter,
      lastError: this.lastError,
    };
  }

  /** What is waiting where. */
  async pending(): Promise<CallRecordsPending> {
    try {
      const counts = await this.outbox.counts();
      return { outbox: counts.pending, processing: counts.processing, deadLetters: counts.deadLetters, memory: this.memory.length };
    } catch {
      return { outbox: null, processing: null, deadLetters: null, memory: this.memory.length };
    }
  }

  /** Puts dead letters back in the outbox (after the cause was fixed). Returns how many. */
  replayDeadLetters(): Promise<number> {
    return this.outbox.replayDeadLetters();
  }

  /**
   * One drain pass: heartbeat, take back items of dead drainers, then write
   * outbox items in order until it is empty, `batchSize` items were handled,
   * or Postgres fails (the failed item stays first in line). Rejects only when
   * Redis fails (nothing is lost: items stay in Redis).
   */
  async drainOnce(): Promise<DrainReport> {
    let written = 0;
    let duplicates = 0;
    let requeued = 0;
    let deadLettered = 0;
    let postgresFailed = false;
    await this.outbox.heartbeat();
    const reclaimed = await this.outbox.reclaimStale(this.staleDrainerMs);
    if (reclaimed > 0) this.logger.warn({ items: reclaimed }, 'took back call records a drainer presumed dead had not written');
    const sentBack = new Set<string>();
    for (let handled = 0; handled < this.batchSize; handled += 1) {
      const raw = await this.outbox.take();
      if (raw === null) break;
      const parsed = parseOutboxItem(raw);
      if ('problem' in parsed) {
        await this.outbox.deadLetter(raw);
        deadLettered += 1;
        this.counters.deadLettered += 1;
        this.logger.error({ problem: parsed.problem, item: raw }, 'unreadable item in the call outbox set aside as a dead letter');
        continue;
      }
      const { item } = parsed;
      if (sentBack.has(item.itemId)) {
        // Went round the whole outbox once in this pass: its call is still missing; next pass.
        await this.outbox.requeue(raw);
        break;
      }
      let result: CallDetailWriteResult;
      try {
        result = await this.storeItem(item);
      } catch (err) {
        if (this.store.isPermanentError(err)) {
          await this.outbox.deadLetter(raw);
          deadLettered += 1;
          this.refused(item, raw, err);
          continue;
        }
        this.postgresDown(err, item);
        postgresFailed = true;
        break;
      }
      if (result === 'call_missing') {
        if (this.clock.now() - item.createdAt > this.orphanMaxAgeMs) {
          await this.outbox.deadLetter(raw);
          deadLettered += 1;
          this.counters.deadLettered += 1;
          this.logger.error({ callId: outboxItemCallId(item), kind: item.kind, item: raw }, 'call row never arrived for this detail; set aside as a dead letter');
        } else {
          await this.outbox.requeue(raw);
          sentBack.add(item.itemId);
          requeued += 1;
        }
        continue;
      }
      await this.outbox.complete(raw);
      this.directAfter = 0;
      if (result === 'written') {
        written += 1;
        this.counters.writtenFromOutbox += 1;
      } else {
        duplicates += 1;
        this.counters.duplicates += 1;
      }
    }
    if (written + duplicates > 0) this.logger.info({ written, duplicates }, 'call records written from the outbox');
    return { written, duplicates, requeued, deadLettered, reclaimed, postgresFailed };
  }

  private async submit(item: OutboxItem): Promise<CallWriteOutcome> {
    const held: Held = { item, raw: serializeOutboxItem(item) };
    // The same check the drainer applies, so a bad item fails here, at its author, not hours later.
    const parsed = parseOutboxItem(held.raw);
    if ('problem' in parsed) throw new AppError('VALIDATION_FAILED', `cannot store ${item.kind} for call ${outboxItemCallId(item)}: ${parsed.problem}`);
    if (this.memory.length > 0) {
      // Earlier records are still only in memory: keep the order, they go out together.
      return this.hold(held, 'earlier call records are still held in memory');
    }
    return (await this.deliver(held)) ?? this.hold(held, 'Postgres and Redis both unavailable');
  }

  /** Postgres, else the outbox, else null (the caller keeps it in memory). */
  private async deliver(held: Held): Promise<CallWriteOutcome | null> {
    const { item, raw } = held;
    if (this.clock.now() >= this.directAfter) {
      try {
        const result = await this.storeItem(item);
        if (result !== 'call_missing') {
          if (result === 'written') this.counters.writtenDirect += 1;
          else this.counters.duplicates += 1;
          return result;
        }
        // Its call row is not stored yet (still in the outbox or in memory somewhere): wait behind it.
      } catch (err) {
        if (this.store.isPermanentError(err)) {
          try {
            await this.outbox.pushDead(raw);
          } catch {
            return null;
          }
          this.refused(item, raw, err);
          return 'dead_lettered';
        }
        this.postgresDown(err, item);
      }
    }
    try {
      await this.outbox.push(raw);
    } catch (err) {
      this.lastError = errorText(err);
      return null;
    }
    this.counters.outboxed += 1;
    this.logger.warn({ callId: outboxItemCallId(item), kind: item.kind }, 'call record queued in the Redis outbox until Postgres answers');
    return 'outboxed';
  }

  private hold(held: Held, why: string): CallWriteOutcome {
    this.memory.push(held);
    this.logger.error(
      { callId: outboxItemCallId(held.item), kind: held.item.kind, heldInMemory: this.memory.length, lastError: this.lastError },
      `call record held in process memory only (${why}); retrying Postgres and Redis — it is lost if this process dies`,
    );
    return 'held_in_memory';
  }

  /** Memory first, in order; stops at the first item that still cannot go anywhere. */
  private async flushMemory(): Promise<void> {
    while (this.memory.length > 0) {
      const held = this.memory[0] as Held;
      const outcome = await this.deliver(held);
      if (outcome === null) return;
      this.memory.shift();
      this.logger.warn({ callId: outboxItemCallId(held.item), outcome, stillHeld: this.memory.length }, 'call record held in memory got out');
    }
  }

  private storeItem(item: OutboxItem): Promise<CallDetailWriteResult> {
    const what = `Postgres write of ${item.kind} ${outboxItemCallId(item)}`;
    switch (item.kind) {
      case 'call':
        return withTimeout(this.store.writeCall(item.record), this.writeTimeoutMs, what);
      case 'recording':
        return withTimeout(this.store.writeRecording(item.recording), this.writeTimeoutMs, what);
      case 'wrap_up':
        return withTimeout(this.store.writeWrapUp(item.wrapUp), this.writeTimeoutMs, what);
    }
  }

  private postgresDown(err: unknown, item: OutboxItem): void {
    this.lastError = errorText(err);
    this.directAfter = this.clock.now() + this.retryDirectAfterMs;
    this.logger.warn({ err: this.lastError, callId: outboxItemCallId(item), kind: item.kind }, 'Postgres did not take a call record; will retry from the outbox');
  }

  private refused(item: OutboxItem, raw: string, err: unknown): void {
    this.lastError = errorText(err);
    this.counters.deadLettered += 1;
    this.logger.error({ err: this.lastError, callId: outboxItemCallId(item), kind: item.kind, item: raw }, 'Postgres refused a call record for good; kept as a dead letter in Redis');
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        if (this.running) this.schedule(this.intervalMs);
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      await this.flushMemory();
      await this.drainOnce();
    } catch (err) {
      this.lastError = errorText(err);
      this.logger.warn({ err: this.lastError }, 'call outbox pass failed (Redis unavailable?); will retry');
    }
  }
}
