import type Redis from 'ioredis';
import type { Acd } from '../acd';
import { readAgents, readWaitingCalls } from '../acd/floor-reads';
import type { Db } from '../db/pool';
import { findClientLabels, listActiveStaffIds, listFloorQueues, type FloorQueueSettings } from '../db/repositories/floor-repository';
import { DIRECT_QUEUE } from '../directory/acd-profiles';
import type { FloorInputs } from './floor-snapshot';

/** Calls to named people and departments wait in the ACD's implicit queue; it has no row in Postgres. */
const DIRECT_QUEUE_SETTINGS: FloorQueueSettings = {
  name: DIRECT_QUEUE.id,
  label: DIRECT_QUEUE.name ?? DIRECT_QUEUE.id,
  slPercent: 90,
  slSeconds: 20,
  longWaitAlertSeconds: null,
};

const MAX_CACHED_CLIENTS = 10_000;

export interface FloorSourcesOptions {
  /** How long queue settings and the active staff list are reused (they change rarely; a wallboard asks every second). */
  directoryTtlMs?: number;
  /** How long a client's name and type are reused. */
  clientTtlMs?: number;
}

/**
 * Gathers what a floor snapshot is made of: live state from the ACD (Redis)
 * every time, directory facts from Postgres through small caches so that a
 * wallboard refreshing every second costs Postgres next to nothing.
 */
export class FloorSources {
  private directory: { at: number; queues: FloorQueueSettings[]; activeStaff: Set<number> } | null = null;
  private readonly clients = new Map<number, { at: number; label: { name: string; type: string } | null }>();
  private readonly directoryTtlMs: number;
  private readonly clientTtlMs: number;

  constructor(
    private readonly db: Db,
    private readonly acd: Acd,
    /** A normal connection (not a subscriber) to the ACD's Redis. */
    private readonly redis: Redis,
    options: FloorSourcesOptions = {},
  ) {
    this.directoryTtlMs = options.directoryTtlMs ?? 10_000;
    this.clientTtlMs = options.clientTtlMs ?? 60_000;
  }

  now(): number {
    return this.acd.clock.now();
  }

  async gather(): Promise<FloorInputs> {
    const { queues: settings, activeStaff } = await this.directorySettings();
    const names = settings.map((s) => s.name);
    const [stats, waiting, agents] = await Promise.all([
      Promise.all(settings.map((s) => this.acd.stats(s.name, { windowMinutes: 30 }))),
      readWaitingCalls(this.redis, this.acd.keys, names),
      readAgents(this.redis, this.acd.keys),
    ]);
    const clientIds = waiting.map((w) => w.meta?.clientId).filter((id): id is number => typeof id === 'number' && Number.isInteger(id) && id > 0);
    return {
      now: this.now(),
      queues: settings.map((s, i) => ({ settings: s, stats: stats[i] as (typeof stats)[number] })),
      waiting,
      agents,
      clients: await this.clientLabels(clientIds),
      activeStaff,
    };
  }

  private async directorySettings(): Promise<{ queues: FloorQueueSettings[]; activeStaff: Set<number> }> {
    const now = Date.now();
    if (this.directory && now - this.directory.at < this.directoryTtlMs) return this.directory;
    const [queues, staff] = await Promise.all([listFloorQueues(this.db), listActiveStaffIds(this.db)]);
    this.directory = { at: now, queues: [...queues, DIRECT_QUEUE_SETTINGS], activeStaff: new Set(staff) };
    return this.directory;
  }

  private async clientLabels(ids: number[]): Promise<Map<number, { name: string; type: string }>> {
    const now = Date.now();
    const missing = [...new Set(ids)].filter((id) => {
      const cached = this.clients.get(id);
      return !cached || now - cached.at >= this.clientTtlMs;
    });
    if (missing.length > 0) {
      if (this.clients.size + missing.length > MAX_CACHED_CLIENTS) this.clients.clear();
      const found = await findClientLabels(this.db, missing);
      // Unknown ids are remembered too, so a deleted client is not asked for every second.
      for (const id of missing) this.clients.set(id, { at: now, label: null });
      for (const row of found) this.clients.set(row.id, { at: now, label: { name: row.name, type: row.type } });
    }
    const out = new Map<number, { name: string; type: string }>();
    for (const id of ids) {
      const label = this.clients.get(id)?.label;
      if (label) out.set(id, label);
    }
    return out;
  }
}
