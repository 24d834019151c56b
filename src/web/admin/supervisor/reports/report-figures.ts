import type { AgentReportRow, QueueReportRow } from '../../../../api/schemas/report-schemas';

/*
 * Figures the report page derives from the rows the server sends
 * (src/api/schemas/report-schemas.ts): totals over buckets, grouping, labels.
 */

/** Sums over rows, and the figures derived from the sums (never an average of averages). */
export function queueTotals(rows: readonly QueueReportRow[]): QueueReportRow {
  const sum = (pick: (r: QueueReportRow) => number): number => rows.reduce((n, r) => n + pick(r), 0);
  const offered = sum((r) => r.offered);
  const answered = sum((r) => r.answered);
  const answeredWithinSl = sum((r) => r.answeredWithinSl);
  const abandonedAfterSl = sum((r) => r.abandonedAfterSl);
  const talkMs = sum((r) => r.talkMs);
  const holdMs = sum((r) => r.holdMs);
  const wrapUpMs = sum((r) => r.wrapUpMs);
  // ASA is a mean over answered calls: weight each row's mean by its answered count.
  const waitMs = sum((r) => (r.asaMs ?? 0) * r.answered);
  return {
    queue: '', bucketStart: '', bucketLocal: '',
    offered, answered, abandoned: sum((r) => r.abandoned), shortAbandoned: sum((r) => r.shortAbandoned), abandonedAfterSl, answeredWithinSl,
    serviceLevelOfOffered: offered > 0 ? answeredWithinSl / offered : null,
    serviceLevelOfAnsweredAndAbandonedAfterSl: answered + abandonedAfterSl > 0 ? answeredWithinSl / (answered + abandonedAfterSl) : null,
    asaMs: answered > 0 ? waitMs / answered : null,
    ahtMs: answered > 0 ? (talkMs + holdMs + wrapUpMs) / answered : null,
    talkMs, holdMs, wrapUpMs,
    longestWaitMs: rows.reduce((m, r) => Math.max(m, r.longestWaitMs), 0),
    overflowed: sum((r) => r.overflowed), callbacksRequested: sum((r) => r.callbacksRequested),
  };
}

export function agentTotals(rows: readonly AgentReportRow[]): AgentReportRow {
  const sum = (pick: (r: AgentReportRow) => number): number => rows.reduce((n, r) => n + pick(r), 0);
  const handled = sum((r) => r.handled);
  const talkMs = sum((r) => r.talkMs);
  const holdMs = sum((r) => r.holdMs);
  const wrapUpMs = sum((r) => r.wrapUpMs);
  const readyMs = sum((r) => r.readyMs);
  const busy = talkMs + holdMs + wrapUpMs;
  return {
    agentId: 0, agentName: null, bucketStart: '', bucketLocal: '',
    handled, missed: sum((r) => r.missed), talkMs, holdMs, wrapUpMs, readyMs, notReadyMs: sum((r) => r.notReadyMs),
    occupancy: busy + readyMs > 0 ? busy / (busy + readyMs) : null,
    ahtMs: handled > 0 ? busy / handled : null,
  };
}

/** Groups rows by a key, keeping first-seen order. */
export function groupBy<R>(rows: readonly R[], key: (r: R) => string): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** A bucket's label as people read it: "2025-03-01 14:00" by the hour, "2025-03-01" by the day or week. */
export function bucketLabel(bucketLocal: string, interval: string): string {
  const [day = bucketLocal, time = ''] = bucketLocal.split('T');
  return interval === 'hour' ? `${day} ${time.slice(0, 5)}` : day;
}

/** Short label for chart axes. */
export function bucketShortLabel(bucketLocal: string, interval: string): string {
  const [day = bucketLocal, time = ''] = bucketLocal.split('T');
  if (interval === 'hour') return time.slice(0, 5) === '00:00' ? day.slice(5) : time.slice(0, 5);
  return day.slice(5);
}
