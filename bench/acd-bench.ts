/**
 * ACD benchmark (design §6): 10,000 waiting calls and 2,000 agents on a
 * redis-server of its own. Prints enqueue and assignment throughput, p50/p99
 * latency, Redis round trips per assignment, and the ratio to a raw Redis PING
 * round trip measured in the same run. It reports; it never fails on time.
 *
 *   npx tsx bench/acd-bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Acd } from '../src/acd';
import { freeTcpPort } from '../src/platform/managed-process';
import { startRedisServer } from '../src/runtime/redis-server';

const CALLS = 10_000;
const AGENTS = 2_000;
const PINGS = 10_000;
const DEEP = 1_000;
const DEEP_CALLS = 1_000;

interface Series {
  name: string;
  latenciesUs: number[];
  totalMs: number;
}

async function measure(name: string, count: number, op: (i: number) => Promise<unknown>): Promise<Series> {
  const latenciesUs: number[] = new Array<number>(count);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    latenciesUs[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return { name, latenciesUs, totalMs: Number(process.hrtime.bigint() - start) / 1e6 };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function summary(s: Series): { opsPerSec: number; p50: number; p99: number; max: number } {
  const sorted = [...s.latenciesUs].sort((a, b) => a - b);
  return {
    opsPerSec: s.latenciesUs.length / (s.totalMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

async function evalshaCalls(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  const match = /cmdstat_evalsha:calls=(\d+)/.exec(info);
  return match ? Number(match[1]) : 0;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acd-bench-'));
  const port = await freeTcpPort();
  const server = await startRedisServer({ port, dataDir: dir, appendOnly: false });
  const redis = new Redis({ host: '127.0.0.1', port });
  try {
    const acd = new Acd({ redis, nodeId: 'bench' });
    await acd.prepare();
    await acd.heartbeat();
    await acd.defineQueue({ id: 'bench', wrapUpMs: 3_600_000, reserveTimeoutMs: 3_600_000, ringTimeoutMs: 3_600_000 });
    for (let i = 0; i < AGENTS; i++) {
      await acd.upsertAgent({ id: `agent-${i}`, name: `Agent ${i}`, kind: 'operator', skills: { wholesale: 3 }, languages: ['ru'], queues: ['bench'] });
    }

    const ping = await measure('PING (raw round trip)', PINGS, () => redis.ping());

    const enqueue = await measure(`enqueue (${fmt(CALLS)} calls, no agent ready)`, CALLS, (i) =>
      acd.enqueue({ callId: `call-${i}`, queueId: 'bench', priority: i % 3 }),
    );
    const waitingAfterEnqueue = await redis.zcard(acd.keys.get('waiting', 'bench'));

    // Assignment 1: each of the 2,000 agents becomes ready and is reserved the best waiting call.
    let assigned = 0;
    const off = acd.onReservation(() => {
      assigned += 1;
    });
    const tripsBefore = acd.roundTrips;
    const evalshaBefore = await evalshaCalls(redis);
    const ready = await measure(`assign: agent ready → reserve (${fmt(AGENTS)} agents, ~${fmt(CALLS)} waiting)`, AGENTS, (i) =>
      acd.transition(`agent-${i}`, 'ready'),
    );
    const readyAssigned = assigned;
    const readyTrips = acd.roundTrips - tripsBefore;
    // counted by the server itself (INFO commandstats), independent of the client's own bookkeeping
    const readyEvalsha = (await evalshaCalls(redis)) - evalshaBefore;

    // Calls flow: answer and hang up (agents go to wrap-up), then each wrap-up end is an assignment.
    const holding = async (): Promise<Array<[string, string]>> => {
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i < AGENTS; i++) {
        const call = await redis.hget(acd.keys.get('agent', `agent-${i}`), 'call');
        if (call) pairs.push([`agent-${i}`, call]);
      }
      return pairs;
    };
    const answerLat: number[] = [];
    const hangupLat: number[] = [];
    const wrapEnd: Series = { name: 'assign: wrap-up ends → reserve next call', latenciesUs: [], totalMs: 0 };
    let wrapTrips = 0;
    let wrapAssigned = 0;
    let answerMs = 0;
    let hangupMs = 0;
    while ((await redis.zcard(acd.keys.get('waiting', 'bench'))) > 0) {
      const pairs = await holding();
      const a = await measure('answer', pairs.length, (i) => acd.answer(pairs[i]![1], pairs[i]![0]));
      const h = await measure('hang up', pairs.length, (i) => acd.hangUp(pairs[i]![1]));
      answerLat.push(...a.latenciesUs);
      hangupLat.push(...h.latenciesUs);
      answerMs += a.totalMs;
      hangupMs += h.totalMs;
      const before = assigned;
      const trips = acd.roundTrips;
      const w = await measure('wrap end', pairs.length, (i) => acd.endWrapUp(pairs[i]![0]));
      wrapTrips += acd.roundTrips - trips;
      wrapAssigned += assigned - before;
      wrapEnd.latenciesUs.push(...w.latenciesUs);
      wrapEnd.totalMs += w.totalMs;
    }
    // Assignment 3: calls arrive while agents are ready: enqueue and reservation in one step.
    for (const [agent, call] of await holding()) {
      await acd.answer(call, agent);
      await acd.hangUp(call, { wrapUpMs: 0 });
    }
    const before3 = assigned;
    const trips3 = acd.roundTrips;
    const arrive = await measure(`assign: call arrives → reserve a ready agent (${fmt(AGENTS)} ready)`, AGENTS, (i) =>
      acd.enqueue({ callId: `late-${i}`, queueId: 'bench' }),
    );
    const arriveAssigned = assigned - before3;
    const arriveTrips = acd.roundTrips - trips3;

    // Worst case of complete matching: the one qualified agent ranks behind DEEP ready agents that
    // lack the skill, so every assignment walks the whole ready index (in pages, inside one script).
    await acd.defineQueue({ id: 'deep', stages: [{ afterMs: 0, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 1 }] }] });
    for (let i = 0; i < DEEP; i++) {
      await acd.upsertAgent({ id: `deep-${i}`, name: `Deep ${i}`, kind: 'operator', skills: {}, languages: ['ru'], queues: ['deep'] });
      await acd.transition(`deep-${i}`, 'ready');
    }
    await acd.upsertAgent({ id: 'deep-skilled', name: 'Skilled', kind: 'operator', skills: { regional: 1 }, languages: ['ru'], queues: ['deep'] });
    await acd.transition('deep-skilled', 'ready');
    const before4 = assigned;
    const trips4 = acd.roundTrips;
    const deepLat: number[] = [];
    let deepMs = 0;
    for (let i = 0; i < DEEP_CALLS; i++) {
      const t0 = process.hrtime.bigint();
      await acd.enqueue({ callId: `deep-call-${i}`, queueId: 'deep' });
      const us = Number(process.hrtime.bigint() - t0) / 1000;
      deepLat.push(us);
      deepMs += us / 1000;
      // untimed: the caller hangs up, the skilled agent is ready again at the same place
      await acd.abandon(`deep-call-${i}`);
    }
    const deepAssigned = assigned - before4;
    const deepTrips = acd.roundTrips - trips4 - DEEP_CALLS;
    off();

    const pingS = summary(ping);
    const rows: Array<[Series, number | null]> = [
      [ping, null],
      [enqueue, null],
      [ready, readyTrips / Math.max(1, readyAssigned)],
      [wrapEnd, wrapTrips / Math.max(1, wrapAssigned)],
      [arrive, arriveTrips / Math.max(1, arriveAssigned)],
      [{ name: `assign: skilled call → the one match behind ${fmt(DEEP)} unqualified ready`, latenciesUs: deepLat, totalMs: deepMs }, deepTrips / Math.max(1, deepAssigned)],
      [{ name: 'answer', latenciesUs: answerLat, totalMs: answerMs }, null],
      [{ name: 'hang up (→ wrap-up)', latenciesUs: hangupLat, totalMs: hangupMs }, null],
    ];
    const out: string[] = [];
    out.push('');
    out.push(`ACD benchmark — redis-server ${(await redis.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '?'} on loopback (AOF off), node ${process.version}, one client connection, sequential requests`);
    out.push(`${fmt(AGENTS)} agents registered; ${fmt(waitingAfterEnqueue)} calls waiting after the enqueue phase`);
    out.push('');
    out.push(`${'operation'.padEnd(66)} ${'ops/s'.padStart(9)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'max µs'.padStart(8)} ${'p50/PING'.padStart(9)} ${'p99/PING'.padStart(9)} ${'RT/assign'.padStart(9)}`);
    for (const [series, trips] of rows) {
      const s = summary(series);
      out.push(
        `${series.name.padEnd(66)} ${fmt(s.opsPerSec).padStart(9)} ${fmt(s.p50).padStart(8)} ${fmt(s.p99).padStart(8)} ${fmt(s.max).padStart(8)} ${fmt(s.p50 / pingS.p50, 1).padStart(8)}× ${fmt(s.p99 / pingS.p99, 1).padStart(8)}× ${(trips === null ? '' : fmt(trips, 2)).padStart(9)}`,
      );
    }
    out.push('');
    out.push(`assignments: ${fmt(readyAssigned)} on ready + ${fmt(wrapAssigned)} on wrap-up end + ${fmt(arriveAssigned)} on arrival = ${fmt(readyAssigned + wrapAssigned + arriveAssigned)}`);
    out.push(`round trips per assignment (client side): ${fmt((readyTrips + wrapTrips + arriveTrips) / Math.max(1, readyAssigned + wrapAssigned + arriveAssigned), 2)}; EVALSHA calls seen by the server in the ready phase: ${fmt(readyEvalsha)} for ${fmt(readyAssigned)} assignments`);
    out.push(`worst-case matching: ${fmt(deepAssigned)} assignments, each past ${fmt(DEEP)} unqualified ready agents, in ${fmt(deepTrips / Math.max(1, deepAssigned), 2)} round trip(s) each (not part of the target below)`);
    const worstP99 = Math.max(summary(ready).p99, summary(wrapEnd).p99, summary(arrive).p99);
    out.push(`target: 1 round trip per assignment and p99 < 2 ms on loopback → worst assignment p99 ${fmt(worstP99 / 1000, 3)} ms (${worstP99 < 2000 ? 'met' : 'NOT met'})`);
    out.push('');
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`acd bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
