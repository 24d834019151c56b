import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import type { Logger } from '../logger';
import { parseAcdEvent, type AcdEvent } from './acd-event';
import type { AcdEventRecord, AcdEventStore } from './acd-event-store';
import { AcdKeys, DEFAULT_ACD_PREFIX } from './keys';

export interface AcdEventWriterOptions {
  /**
   * A connection of its own, without a keyPrefix: a blocking XREADGROUP holds
   * it while it waits for events. The caller keeps ownership (closes it).
   */
  redis: Redis;
  /** Where the events are kept for reports (Postgres in the system: acdEventStore in src/db). */
  store: AcdEventStore;
  /** The ACD's key prefix (default `sb:{acd}:`). */
  prefix?: string;
  /** Consumer group shared by every writer process (default `pg-writer`). */
  group?: string;
  /** This writer's name in the group; default: host, pid and a random part. */
  consumer?: string;
  /** Most events per INSERT (default 500). */
  batchSize?: number;
  /** Longest a read waits for new events; also the longest stop() waits for a read (default 1000 ms). */
  blockMs?: number;
  /** First pause after a failed write; doubles up to maxRetryMs (default 500 ms … 10 s). */
  retryMs?: number;
  maxRetryMs?: number;
  /**
   * Entries another writer read but has not acknowledged for this long are
   * taken over (that writer died or cannot reach Postgres). Default 30 s.
   */
  claimIdleMs?: number;
  /**
   * A directory on local disk where, while Postgres is away and the stream
   * has grown past `spillAbove` entries, events are written first (one NDJSON
   * file per writer, fsynced) and acknowledged, so the stream stays short;
   * they are stored in Postgres when it is back. Unset: nothing is spilled
   * and the stream grows until Postgres returns.
   */
  spillDir?: string;
  /** Stream length beyond which a failing writer spills (default 50,000 entries). */
  spillAbove?: number;
  logger?: Logger;
}

/** What one step of the writer did. */
export interface DrainStep {
  /** Rows that were new in Postgres. */
  written: number;
  /** Stream entries acknowledged (written, already there, or unreadable). */
  acknowledged: number;
  /** True when the write failed and the entries stay pending for a retry. */
  failed: boolean;
}

interface StreamEntry {
  id: string;
  /** null when the entry was trimmed from the stream while it was pending. */
  json: string | null;
}

/** XREADGROUP / XAUTOCLAIM entries ([id, [field, value, …] | null]) as id + the `e` field. */
function toEntries(list: unknown): StreamEntry[] {
  if (!Array.isArray(list)) return [];
  const entries: StreamEntry[] = [];
  for (const item of list) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    const fields: unknown = item[1];
    let json: string | null = null;
    if (Array.isArray(fields)) {
      const at = fields.indexOf('e');
      const value: unknown = at >= 0 ? fields[at + 1] : undefined;
      if (typeof value === 'string') json = value;
    }
    entries.push({ id: item[0], json });
  }
  return entries;
}

/** The entries of the one stream an XREADGROUP reply carries ([[stream, entries]] or null). */
function readGroupEntries(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const first: unknown = reply[0];
  return Array.isArray(first) ? toEntries(first[1]) : [];
}

const STAFF_ID = /^[0-9]{1,9}$/;

/** An event as a report row. ACD agent ids that are staff ids become the integer column. */
export function toAcdEventRecord(streamId: string, event: AcdEvent): AcdEventRecord {
  const fields = event as Partial<Record<'callId' | 'agentId' | 'queueId', unknown>>;
  const agentId = typeof fields.agentId === 'string' && STAFF_ID.test(fields.agentId) ? Number(fields.agentId) : null;
  return {
    streamId,
    at: new Date(event.ts),
    type: event.type,
    callId: typeof fields.callId === 'string' ? fields.callId : null,
    agentId,
    queue: typeof fields.queueId === 'string' ? fields.queueId : null,
    data: event,
  };
}

/**
 * Drains the ACD's durable event stream into Postgres (`acd_events`), so the
 * events are kept for reports.
 *
 * It reads through a Redis consumer group: any number of processes can run a
 * writer, each entry goes to one of them, and an entry is acknowledged (XACK)
 * only after its batch is committed. Inserts skip stream ids already stored,
 * so a batch written twice (a crash between commit and XACK, or an entry taken
 * over from a writer presumed dead) is stored once. When Postgres is down the
 * batch stays pending with this writer and is retried with backoff before
 * anything new is read; a writer that dies leaves its pending entries to be
 * taken over by another after `claimIdleMs`. So nothing is lost or doubled.
 * Nothing is trimmed at emit time (issue 14): after each batch a writer trims
 * the history every consumer group has acknowledged, and nothing newer; while
 * Postgres is away the stream is kept short by spilling to local disk first
 * (`spillDir`), and the spilled events are stored when Postgres is back.
 */
export class AcdEventWriter {
  readonly consumer: string;
  private readonly redis: Redis;
  private readonly store: AcdEventStore;
  private readonly stream: string;
  private readonly group: string;
  private readonly batchSize: number;
  private readonly blockMs: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly claimIdleMs: number;
  private readonly logger: Logger | undefined;
  /** Entries of ours may be pending (at start, and after a failed write): read those first. */
  private backlog = true;
  private lastClaimAt = 0;
  private failures = 0;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private trimmed = 0;
  private readonly spillFile: string | null;
  private readonly spillAbove: number;
  /** Spilled events may wait on disk (at start, and after a spill): stored before anything new. */
  private spillWaiting: boolean;

  constructor(options: AcdEventWriterOptions) {
    this.redis = options.redis;
    this.store = options.store;
    this.stream = new AcdKeys(options.prefix ?? DEFAULT_ACD_PREFIX).get('eventStream');
    this.group = options.group ?? 'pg-writer';
    this.consumer = options.consumer ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.batchSize = options.batchSize ?? 500;
    this.blockMs = options.blockMs ?? 1000;
    this.retryMs = options.retryMs ?? 500;
    this.maxRetryMs = options.maxRetryMs ?? 10_000;
    this.claimIdleMs = options.claimIdleMs ?? 30_000;
    this.logger = options.logger?.child({ module: 'acd-event-writer', consumer: this.consumer });
    this.spillFile = options.spillDir ? path.join(options.spillDir, 'acd-events.ndjson') : null;
    this.spillAbove = options.spillAbove ?? 50_000;
    this.spillWaiting = this.spillFile !== null;
  }

  /** Entries trimmed from the stream (by its cap) before they could be written. */
  get lost(): number {
    return this.trimmed;
  }

  /** Creates the consumer group (from the start of the stream) unless it exists. */
  async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.stream, this.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('BUSYGROUP'))) throw err;
    }
  }

  /**
   * One step: our own pending entries first, then entries abandoned by other
   * writers, then new ones (waiting up to `blockMs` when `block`). Writes them
   * in one batch and acknowledges them; on a failed write they stay pending.
   */
  async drainOnce(options: { block?: boolean } = {}): Promise<DrainStep> {
    if (this.spillWaiting) await this.storeSpilled();
    const entries = await this.nextEntries(options.block ?? false);
    if (entries.length === 0) return { written: 0, acknowledged: 0, failed: false };
    const records: AcdEventRecord[] = [];
    for (const entry of entries) {
      const event = entry.json === null ? null : parseAcdEvent(entry.json);
      if (event) {
        records.push(toAcdEventRecord(entry.id, event));
      } else if (entry.json === null) {
        this.trimmed += 1;
        this.logger?.error({ streamId: entry.id }, 'ACD event trimmed from the stream before it was written (outage longer than the stream cap)');
      } else {
        this.logger?.warn({ streamId: entry.id }, 'skipping a stream entry that is not an ACD event');
      }
    }
    let written: number;
    try {
      written = await this.store.insertEvents(records);
    } catch (err) {
      this.failures += 1;
      if (this.spillFile && (await this.redis.xlen(this.stream)) > this.spillAbove) {
        // Postgres has been away long enough for the stream to grow: these go to disk first, then leave the stream.
        await this.spill(entries);
        await this.acknowledge(entries);
        this.logger?.warn({ err, events: entries.length, failures: this.failures }, 'Postgres is away: ACD events written to the spill file');
        return { written: 0, acknowledged: entries.length, failed: true };
      }
      // Not acknowledged: the entries stay pending with us and are read again first.
      this.backlog = true;
      this.logger?.warn({ err, events: records.length, failures: this.failures }, 'writing ACD events to Postgres failed; will retry');
      return { written: 0, acknowledged: 0, failed: true };
    }
    this.failures = 0;
    await this.acknowledge(entries);
    return { written, acknowledged: entries.length, failed: false };
  }

  /** Acknowledges `entries`, then trims the history every consumer group has acknowledged. */
  private async acknowledge(entries: readonly StreamEntry[]): Promise<void> {
    await this.redis.xack(this.stream, this.group, ...entries.map((e) => e.id));
    const keepFrom = await this.oldestStillNeeded();
    // Exact MINID: entries before the oldest one any group still needs, and only those.
    if (keepFrom) await this.redis.xtrim(this.stream, 'MINID', keepFrom);
  }

  /**
   * The oldest stream id any consumer group still needs: its oldest pending
   * entry, or else the last one it was given (kept, so that the stream's
   * last id stays known). Null when there is no group to ask.
   */
  private async oldestStillNeeded(): Promise<string | null> {
    const groups = (await this.redis.call('XINFO', 'GROUPS', this.stream)) as unknown[];
    let oldest: string | null = null;
    for (const raw of groups) {
      const info = fieldsOf(raw);
      const name = typeof info.name === 'string' ? info.name : '';
      let needed = typeof info['last-delivered-id'] === 'string' ? info['last-delivered-id'] : '0-0';
      if (Number(info.pending ?? 0) > 0) {
        const summary = (await this.redis.call('XPENDING', this.stream, name)) as unknown[];
        if (typeof summary[1] === 'string') needed = summary[1];
      }
      if (oldest === null || compareStreamIds(needed, oldest) < 0) oldest = needed;
    }
    return oldest;
  }

  /** Appends the entries to the spill file and makes sure they are on disk. */
  private async spill(entries: readonly StreamEntry[]): Promise<void> {
    const file = this.spillFile as string;
    await fs.mkdir(path.dirname(file), { recursive: true });
    const handle = await fs.open(file, 'a');
    try {
      await handle.appendFile(entries.map((e) => JSON.stringify({ id: e.id, json: e.json })).join('\n') + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.spillWaiting = true;
  }

  /**
   * Stores what was spilled (inserts skip stream ids already stored, so a
   * replay cut short is simply done again) and removes the file; leaves it
   * for the next step while Postgres is still away.
   */
  private async storeSpilled(): Promise<void> {
    const file = this.spillFile as string;
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      this.spillWaiting = false;
      return;
    }
    const records: AcdEventRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const entry = JSON.parse(line) as StreamEntry;
      const event = entry.json === null ? null : parseAcdEvent(entry.json);
      if (event) records.push(toAcdEventRecord(entry.id, event));
    }
    try {
      for (let i = 0; i < records.length; i += this.batchSize) await this.store.insertEvents(records.slice(i, i + this.batchSize));
    } catch (err) {
      this.logger?.debug({ err }, 'spilled ACD events wait for Postgres');
      return;
    }
    await fs.rm(file, { force: true });
    this.spillWaiting = false;
    this.logger?.info({ events: records.length }, 'spilled ACD events stored in Postgres');
  }

  /** Starts draining in the background until stop(). */
  async start(): Promise<void> {
    if (this.loop) return;
    await this.ensureGroup();
    this.stopping = false;
    this.loop = this.run();
  }

  /** Stops after the step in progress (at most one blocking read, `blockMs`). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const loop = this.loop;
    this.loop = null;
    await loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let step: DrainStep;
      try {
        step = await this.drainOnce({ block: true });
      } catch (err) {
        // Redis itself is unreachable: the entries are safe in the stream; try again later.
        this.failures += 1;
        this.logger?.warn({ err, failures: this.failures }, 'reading ACD events from Redis failed; will retry');
        step = { written: 0, acknowledged: 0, failed: true };
      }
      if (step.failed) await this.pause(Math.min(this.maxRetryMs, this.retryMs * 2 ** Math.min(this.failures - 1, 16)));
    }
  }

  /** Sleeps, unless stop() wakes it early. */
  private async pause(ms: number): Promise<void> {
    if (this.stopping) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(resolve, ms);
      });
    } finally {
      clearTimeout(timer);
      this.wake = null;
    }
  }

  private async nextEntries(block: boolean): Promise<StreamEntry[]> {
    if (this.backlog) {
      const own = readGroupEntries(
        await this.redis.call('XREADGROUP', 'GROUP', this.group, this.consumer, 'COUNT', this.batchSize, 'STREAMS', this.stream, '0'),
      );
      if (own.length > 0) return own;
      this.backlog = false;
    }
    const now = Date.now();
    if (now - this.lastClaimAt >= Math.min(this.claimIdleMs, 5000)) {
      this.lastClaimAt = now;
      // [next cursor, claimed entries, ids deleted meanwhile]; claimed entries become our pending ones.
      const reply = await this.redis.xautoclaim(this.stream, this.group, this.consumer, this.claimIdleMs, '0', 'COUNT', this.batchSize);
      const claimed = toEntries(reply[1]);
      const vanished = Array.isArray(reply[2]) ? reply[2].length : 0;
      if (vanished > 0) {
        this.trimmed += vanished;
        this.logger?.error({ entries: vanished }, 'ACD events trimmed from the stream before any writer wrote them');
      }
      if (claimed.length > 0) {
        this.logger?.info({ entries: claimed.length }, 'took over ACD events another writer left unwritten');
        this.backlog = true;
        return claimed;
      }
    }
    const args: (string | number)[] = ['GROUP', this.group, this.consumer, 'COUNT', this.batchSize];
    if (block) args.push('BLOCK', this.blockMs);
    const reply: unknown = await this.redis.call('XREADGROUP', ...args, 'STREAMS', this.stream, '>');
    return readGroupEntries(reply);
  }
}

/** An XINFO reply's flat [field, value, …] list as an object. */
function fieldsOf(raw: unknown): Record<string, unknown> {
  const list = Array.isArray(raw) ? raw : [];
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = list[i + 1];
  return out;
}

/** Orders stream ids (`<ms>-<seq>`) by time, then sequence. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map((part) => BigInt(part || '0'));
  const [bm, bs] = b.split('-').map((part) => BigInt(part || '0'));
  if (am !== bm) return (am ?? 0n) < (bm ?? 0n) ? -1 : 1;
  if (as === bs) return 0;
  return (as ?? 0n) < (bs ?? 0n) ? -1 : 1;
}
