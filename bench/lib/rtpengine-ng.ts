/** rtpengine over ng, as a bench needs it: how many sessions it holds, delete them all, count late replies. */
import type { Client as NgClient } from 'rtpengine-client';
import { LOOPBACK } from './sipp';

/** rtpengine's own count of the calls it holds (`statistics` → currentstatistics.sessionsown); null when it does not answer. */
export async function rtpengineSessions(ng: NgClient, port: number): Promise<number | null> {
  try {
    const reply = (await (ng as unknown as { statistics(port: number, host: string): Promise<Record<string, unknown>> }).statistics(port, LOOPBACK)) as {
      statistics?: { currentstatistics?: { sessionsown?: number; sessionstotal?: number } };
    };
    const current = reply.statistics?.currentstatistics;
    const n = current?.sessionsown ?? current?.sessionstotal;
    return typeof n === 'number' ? n : null;
  } catch {
    return null;
  }
}

/** Deletes every session rtpengine holds (ng `list` in batches, then `delete` by call-id). Returns how many. */
export async function purgeRtpengine(ng: NgClient, port: number): Promise<number> {
  const deleted = new Set<string>();
  for (let round = 0; round < 50; round++) {
    let ids: string[] = [];
    try {
      const reply = await ng.list(port, LOOPBACK, { limit: 200 });
      ids = Array.isArray(reply.calls) ? reply.calls.map((id) => (Buffer.isBuffer(id) ? id.toString() : String(id))) : [];
    } catch {
      break;
    }
    if (ids.length === 0 || ids.every((id) => deleted.has(id))) break;
    for (let i = 0; i < ids.length; i += 20) {
      const batch = ids.slice(i, i + 20);
      // Without delete-delay 0, rtpengine keeps a deleted call listed for 30 s.
      const results = await Promise.allSettled(batch.map((id) => ng.delete(port, LOOPBACK, { 'call-id': id, 'delete-delay': 0 })));
      results.forEach((r, j) => {
        if (r.status === 'fulfilled' && r.value.result === 'ok') deleted.add(batch[j]!);
      });
    }
  }
  return deleted.size;
}

let lateNgReplies = 0;
let counting = false;

/**
 * rtpengine-client console.logs every ng reply that arrives after its request
 * timed out (lib/BaseClient.js _onParsedMessage). Under overload that is
 * thousands of lines: from this call on they are counted instead of printed.
 */
export function countLateNgReplies(): void {
  if (counting) return;
  counting = true;
  const consoleLog = console.log.bind(console);
  console.log = (...args: unknown[]): void => {
    if (typeof args[1] === 'string' && args[1].startsWith('received a response from rtpengine with unknown msg id')) {
      lateNgReplies++;
      return;
    }
    consoleLog(...args);
  };
}

/** ng replies that came after their request had timed out, since `countLateNgReplies`. */
export function lateNgReplyCount(): number {
  return lateNgReplies;
}

/** rtpengine's count of each ng command it has handled since it started (`statistics` → controlstatistics.total<name>count); empty when it does not answer. */
export async function ngCommandCounts(ng: NgClient, port: number): Promise<Map<string, number>> {
  try {
    const reply = (await (ng as unknown as { statistics(port: number, host: string): Promise<Record<string, unknown>> }).statistics(port, LOOPBACK)) as {
      statistics?: { controlstatistics?: Record<string, unknown> };
    };
    const counts = new Map<string, number>();
    for (const [key, value] of Object.entries(reply.statistics?.controlstatistics ?? {})) {
      const name = /^total(.+)count$/.exec(key)?.[1];
      if (name && typeof value === 'number') counts.set(name, value);
    }
    return counts;
  } catch {
    return new Map();
  }
}

/** "offer 1.00, answer 1.00, …": commands handled between two counts, per call; the bench's own statistics/list/ping left out. */
export function ngCommandsPerCall(before: Map<string, number>, after: Map<string, number>, calls: number): string {
  const own = new Set(['stats', 'list', 'ping']);
  return [...after.entries()]
    .map(([name, n]) => [name, n - (before.get(name) ?? 0)] as const)
    .filter(([name, n]) => n > 0 && !own.has(name))
    .map(([name, n]) => `${name} ${(n / Math.max(1, calls)).toFixed(2)}`)
    .join(', ');
}
