import type Redis from 'ioredis';
import type { AcdKeys } from '../acd/keys';
import { subscribeAcdEvents } from '../acd/event-feed';
import type { Logger } from '../logger';
import { assembleFloorSnapshot, type FloorSnapshot } from './floor-snapshot';
import type { FloorSources } from './floor-sources';

export type FloorListener = (snapshot: FloorSnapshot) => void;

export interface FloorFeedOptions {
  /** Never push more often than this (default 1 s). */
  minIntervalMs?: number;
  /** Push at least this often even when nothing changed, so waits keep counting (default 5 s). */
  maxIntervalMs?: number;
}

/**
 * The live wallboard feed of one process. Any ACD event (from any process,
 * over Redis pub/sub) marks the floor changed; listeners then get a full
 * snapshot at most once per `minIntervalMs`, and at least every
 * `maxIntervalMs`. Full snapshots rather than deltas: a wallboard that
 * missed a message is right again with the next one, and one snapshot built
 * per process serves every connected wallboard.
 *
 * The Redis subscription is opened with the first listener and kept until
 * close(); timers run only while someone listens.
 */
export class FloorFeed {
  private readonly listeners = new Set<FloorListener>();
  private readonly alertsSince = new Map<string, number>();
  private readonly minIntervalMs: number;
  private readonly maxIntervalMs: number;
  private subscriber: Redis | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private subscribing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private lastPushAt = 0;
  private building = false;
  private changed = false;
  private closed = false;

  constructor(
    private readonly sources: FloorSources,
    /** Makes the connection that enters subscriber mode; the feed disconnects it on close(). */
    private readonly connectSubscriber: () => Redis,
    private readonly keys: AcdKeys,
    private readonly logger: Logger,
    options: FloorFeedOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.maxIntervalMs = options.maxIntervalMs ?? 5000;
  }

  /** A snapshot built now (the HTTP endpoint, and each new listener's first message). */
  async snapshot(): Promise<FloorSnapshot> {
    return assembleFloorSnapshot(await this.sources.gather(), this.alertsSince);
  }

  /**
   * Adds a listener: it gets a snapshot at once, then the live pushes.
   * Returns the remover — call it when the listener goes (socket closed).
   */
  async subscribe(listener: FloorListener): Promise<() => void> {
    if (this.closed) throw new Error('the floor feed is closed');
    await this.ensureSubscribed();
    const first = await this.snapshot();
    this.listeners.add(listener);
    listener(first);
    this.scheduleAt(Date.now() + this.maxIntervalMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.clearTimer();
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.clearTimer();
    try {
      await this.subscribing?.catch(() => undefined);
      if (this.unsubscribe) await this.unsubscribe();
    } catch (err) {
      this.logger.warn({ err }, 'floor feed: unsubscribe failed');
    } finally {
      this.unsubscribe = null;
      this.subscriber?.disconnect();
      this.subscriber = null;
    }
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.unsubscribe) return;
    this.subscribing ??= (async () => {
      const subscriber = this.connectSubscriber();
      this.subscriber = subscriber;
      try {
        this.unsubscribe = await subscribeAcdEvents(subscriber, this.keys, () => this.onChange());
      } catch (err) {
        this.subscriber = null;
        subscriber.disconnect();
        throw err;
      }
    })().finally(() => {
      this.subscribing = null;
    });
    await this.subscribing;
  }

  private onChange(): void {
    this.changed = true;
    if (this.listeners.size === 0 || this.building) return;
    this.scheduleAt(Math.max(Date.now(), this.lastPushAt + this.minIntervalMs));
  }

  /** Makes sure a push happens no later than `dueAt`. */
  private scheduleAt(dueAt: number): void {
    if (this.closed || this.listeners.size === 0) return;
    if (this.timer && this.timerDueAt <= dueAt) return;
    this.clearTimer();
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.push().catch((err: unknown) => this.logger.warn({ err }, 'floor feed: push failed'));
    }, Math.max(0, dueAt - Date.now()));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async push(): Promise<void> {
    if (this.building || this.listeners.size === 0) return;
    this.building = true;
    this.changed = false;
    try {
      const snapshot = await this.snapshot();
      for (const listener of [...this.listeners]) {
        try {
          listener(snapshot);
        } catch (err) {
          this.logger.warn({ err }, 'floor feed: a listener failed');
        }
      }
    } catch (err) {
      // Redis or Postgres briefly away: the next attempt follows the usual rhythm.
      this.logger.warn({ err }, 'floor feed: snapshot failed');
    } finally {
      this.building = false;
      this.lastPushAt = Date.now();
      this.scheduleAt(this.lastPushAt + (this.changed ? this.minIntervalMs : this.maxIntervalMs));
    }
  }
}
