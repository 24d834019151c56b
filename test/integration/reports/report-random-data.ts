import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../../src/db/pool';
import { SeededRandom } from '../../helpers/seeded-random';

/**
 * Random calls, call timelines and ACD events in given windows, at microsecond
 * precision, for comparing rollup-based reports with raw ones. Deliberately
 * awkward: waits on the 5 s grid's edges and unknown waits, every outcome and
 * direction, calls without a queue, transfers between two or three agents
 * (one of them not on staff), overflows out of several queues, wrap-up
 * episodes with extensions and ACD call ids of transferred entries, moves at
 * the same instant, agent states carried into the windows from before them.
 * Events never trail their call by a day (the reports look that far).
 */
export interface RandomDataSpec {
  seed: number;
  windows: ReadonlyArray<{ from: Date; to: Date }>;
  callsPerWindow: number;
}

export const RANDOM_QUEUES = ['operators', 'regional', 'finance'] as const;

const OUTCOMES = ['answered', 'answered', 'answered', 'abandoned_ivr', 'abandoned_queue', 'abandoned_queue', 'abandoned_ringing', 'overflowed',
  'transferred', 'callback_requested', 'after_hours', 'failed', 'rejected'] as const;
const DIRECTIONS = ['inbound', 'inbound', 'inbound', 'inbound', 'internal', 'outbound', 'callback'] as const;
const STATES = ['ready', 'ready', 'reserved', 'on_call', 'wrap_up', 'not_ready', 'logged_out'] as const;

/** Microseconds since the epoch as an ISO 8601 instant with six decimals. */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  return new Date(ms).toISOString().replace(/Z$/, `${String(us - ms * 1000).padStart(3, '0')}Z`);
}

interface CallRow {
  id: string; direction: string; started: number; answeredAt: number | null; queue: string | null; waitMs: number | null;
  agentIds: number[]; talkMs: number | null; holdMs: number; outcome: string;
}

/** Writes the data; returns the agent ids used (staff ids, and one id that is not on staff). */
export async function loadRandomData(q: Queryable, spec: RandomDataSpec): Promise<{ agents: number[]; offStaffAgent: number; calls: number }> {
  const rnd = new SeededRandom(spec.seed);
  const us = (d: Date): number => d.getTime() * 1000;
  const staff = await q.query<{ id: number }>(
    "INSERT INTO staff (full_name, role) SELECT 'Random agent ' || g, 'operator' FROM generate_series(1, 5) g RETURNING id",
  );
  const staffIds = staff.rows.map((r) => r.id);
  const offStaffAgent = Math.max(...staffIds) + 1000;
  const agents = [...staffIds, offStaffAgent];

  const calls: CallRow[] = [];
  const callEvents: Array<{ callId: string; seq: number; at: number; type: string; data: Record<string, unknown> }> = [];
  for (const window of spec.windows) {
    for (let i = 0; i < spec.callsPerWindow; i++) {
      const started = us(window.from) + Math.floor(rnd.next() * (us(window.to) - us(window.from)));
      const outcome = rnd.pick(OUTCOMES);
      const direction = rnd.pick(DIRECTIONS);
      const queue = rnd.chance(0.1) ? null : rnd.pick(RANDOM_QUEUES);
      const roll = rnd.next();
      const waitMs = roll < 0.1 ? null : roll < 0.35 ? rnd.int(0, 30) * 5000 : roll < 0.4 ? 0 : rnd.int(1, 200_000);
      const answered = outcome === 'answered' || outcome === 'transferred' || rnd.chance(0.05);
      const agentCount = answered || direction === 'outbound' ? rnd.pick([1, 1, 1, 1, 2, 2, 3]) : 0;
      const agentIds = Array.from({ length: agentCount }, () => rnd.pick(agents));
      const call: CallRow = {
        id: randomUUID(), direction, started, answeredAt: answered ? started + (waitMs ?? 0) * 1000 + rnd.int(0, 999) : null, queue, waitMs,
        agentIds, talkMs: rnd.chance(0.1) ? null : rnd.int(0, 600_000), holdMs: rnd.chance(0.5) ? 0 : rnd.int(0, 60_000), outcome,
      };
      calls.push(call);

      let seq = 0;
      let at = started + rnd.int(0, 5_000_000);
      const event = (type: string, data: Record<string, unknown>): void => {
        seq += 1;
        callEvents.push({ callId: call.id, seq, at, type, data });
        at += rnd.int(0, 90_000_000);
      };
      if (agentIds.length > 1) {
        // A transfer chain: each agent answers in turn; holds and transfer set-ups in between.
        event('queued', { from: 'routing', to: 'queued', queue: queue ?? 'operators' });
        for (const [n, agentId] of agentIds.entries()) {
          event('offered', { from: 'queued', to: 'offering', agentId });
          event(rnd.chance(0.8) ? 'agent_answered' : 'remote_answered', { from: 'offering', to: 'connected', agentId });
          if (rnd.chance(0.5)) {
            event('held', { from: 'connected', to: 'on_hold' });
            event('resumed', { from: 'on_hold', to: 'connected' });
          }
          if (rnd.chance(0.3)) event('note', { text: 'no state move' });
          if (n < agentIds.length - 1) {
            event('transfer_started', { from: 'connected', to: 'transferring' });
            event('queued', { from: 'transferring', to: 'queued', queue: rnd.pick(RANDOM_QUEUES) });
          }
        }
        event('ended', { from: 'connected', to: 'ended' });
      }
      if (rnd.chance(0.15)) {
        const left = rnd.pick(RANDOM_QUEUES);
        event('overflowed', { from: 'queued', to: 'routing', queue: left });
        // Leaving the same queue twice is still one overflowed call.
        if (rnd.chance(0.3)) event('overflowed', { from: 'queued', to: 'routing', queue: rnd.chance(0.5) ? left : rnd.pick(RANDOM_QUEUES) });
      }
    }
  }

  await q.query(
    `INSERT INTO calls (id, direction, caller_number, started_at, agent_answered_at, queue_name, queue_wait_ms, agent_ids, talk_ms, hold_ms, outcome)
     SELECT id, direction, '+74951234567', started_at, agent_answered_at, queue_name, queue_wait_ms, agent_ids::int[], talk_ms, hold_ms, outcome
     FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::int[], $7::text[], $8::int[], $9::int[], $10::text[])
       AS c(id, direction, started_at, agent_answered_at, queue_name, queue_wait_ms, agent_ids, talk_ms, hold_ms, outcome)`,
    [
      calls.map((c) => c.id), calls.map((c) => c.direction), calls.map((c) => isoMicros(c.started)),
      calls.map((c) => (c.answeredAt === null ? null : isoMicros(c.answeredAt))), calls.map((c) => c.queue), calls.map((c) => c.waitMs),
      calls.map((c) => `{${c.agentIds.join(',')}}`), calls.map((c) => c.talkMs), calls.map((c) => c.holdMs), calls.map((c) => c.outcome),
    ],
  );
  await insertCallEvents(q, callEvents);

  // Each agent walks through states from six hours before each window to two hours after it, and logs out.
  const answeredQueueCalls = calls.filter((c) => c.answeredAt !== null && c.queue !== null).sort((a, b) => a.started - b.started);
  const acd: AcdRow[] = [];
  for (const agentId of agents) {
    for (const window of spec.windows) {
      let at = us(window.from) - 6 * 3_600_000_000 + rnd.int(0, 3_600_000_000);
      let state: string = 'logged_out';
      while (at < us(window.to) + 2 * 3_600_000_000) {
        const to = rnd.chance(0.1) && state === 'wrap_up' ? 'wrap_up' : rnd.pick(STATES);
        const data: Record<string, unknown> = { type: 'agent_state', agentId: String(agentId), from: state, to, by: 'acd' };
        if (to === 'wrap_up' && state !== 'wrap_up') {
          const recent = answeredQueueCalls.filter((c) => c.started <= at && c.started > at - 12 * 3_600_000_000);
          if (recent.length > 0) {
            const call = rnd.pick(recent);
            data.callId = rnd.chance(0.2) ? `${call.id}.t1` : call.id;
          }
        }
        acd.push({ at, type: 'agent_state', agentId, data });
        state = to;
        // Mostly minutes, sometimes hours, sometimes the same instant as the next move.
        const r = rnd.next();
        at += r < 0.05 ? 0 : r < 0.8 ? rnd.int(1_000_000, 900_000_000) : rnd.int(900_000_000, 3 * 3_600_000_000);
      }
      acd.push({ at, type: 'agent_state', agentId, data: { type: 'agent_state', agentId: String(agentId), from: state, to: 'logged_out', by: 'acd' } });
    }
  }
  for (const window of spec.windows) {
    for (let i = 0; i < 40; i++) {
      const at = us(window.from) + Math.floor(rnd.next() * (us(window.to) - us(window.from)));
      acd.push({ at, type: 'call_released', agentId: rnd.pick(agents), data: { type: 'call_released', reason: rnd.chance(0.7) ? 'ring_no_answer' : 'agent_busy' } });
    }
  }
  await insertAcdRows(q, acd);
  return { agents, offStaffAgent, calls: calls.length };
}

export interface AcdRow {
  at: number;
  type: string;
  agentId: number;
  data: Record<string, unknown>;
}

let streamCounter = 0;

export async function insertAcdRows(q: Queryable, rows: readonly AcdRow[]): Promise<void> {
  await q.query(
    `INSERT INTO acd_events (stream_id, at, type, call_id, agent_id, data)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::jsonb[])`,
    [
      rows.map(() => `random-${process.pid}-${(streamCounter += 1)}`), rows.map((r) => isoMicros(r.at)), rows.map((r) => r.type),
      rows.map((r) => (typeof r.data.callId === 'string' ? r.data.callId : null)), rows.map((r) => r.agentId), rows.map((r) => JSON.stringify(r.data)),
    ],
  );
}

export async function insertCallEvents(
  q: Queryable, events: ReadonlyArray<{ callId: string; seq: number; at: number; type: string; data: Record<string, unknown> }>,
): Promise<void> {
  if (events.length === 0) return;
  await q.query(
    `INSERT INTO call_events (call_id, seq, at, type, data)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[], $5::jsonb[])`,
    [events.map((e) => e.callId), events.map((e) => e.seq), events.map((e) => isoMicros(e.at)), events.map((e) => e.type), events.map((e) => JSON.stringify(e.data))],
  );
}
