/** Switchboard's pino log written to a temp file during a bench, and summarised (most frequent lines) at the end. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Logger } from '../../src/logger';
import { tempDir } from './cleanup';
import { fmt } from './format';

export interface LogCapture {
  file: string;
  /** Logger for the system under test, at `level`. */
  systemLogger: Logger;
  /** Logger for the bench's own helpers (warn and above), to the same file. */
  benchLogger: Logger;
  /** Most frequent lines so far (flushes first). */
  summary(): string;
}

export function captureLog(level: string): LogCapture {
  const file = path.join(tempDir('sip-bench-log-'), 'switchboard.log');
  const destination = pino.destination({ dest: file, sync: false, mkdir: true });
  return {
    file,
    systemLogger: pino({ name: 'switchboard', level }, destination),
    benchLogger: pino({ name: 'sip-bench', level: 'warn' }, destination),
    summary: () => summariseLog(file, level, () => destination.flushSync()),
  };
}

/** "N lines at LEVEL or above; most frequent: …", the message and error text with ids blanked. */
export function summariseLog(file: string, level: string, flush: () => void = () => undefined): string {
  if (!file || !existsSync(file)) return '';
  try {
    flush();
  } catch {
    // not open yet: nothing written
  }
  const counts = new Map<string, number>();
  // Why the overload control shed calls (issue 16): the signals its first lines saw, so that a report says which bound tripped.
  const shedding: string[] = [];
  let total = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    total++;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: unknown; signals?: unknown; limitedBy?: string | null; time?: number };
      if (entry.signals !== undefined && shedding.length < 4) {
        shedding.push(`    ${entry.time ? new Date(entry.time).toISOString().slice(11, 23) : ''} ${entry.msg ?? ''}: ${entry.limitedBy ? `limited by ${entry.limitedBy}, ` : ''}signals ${JSON.stringify(entry.signals)}`);
      }
      const name = entry.level === 60 ? 'fatal' : entry.level === 50 ? 'error' : entry.level === 40 ? 'warn' : String(entry.level);
      const err = typeof entry.err === 'string' ? entry.err : entry.err && typeof entry.err === 'object' && 'message' in entry.err ? String(entry.err.message) : '';
      const key = `${name}: ${entry.msg ?? ''}${err ? ` — ${err.replace(/[0-9a-f-]{16,}/gi, '…').slice(0, 120)}` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      counts.set(line.slice(0, 120), (counts.get(line.slice(0, 120)) ?? 0) + 1);
    }
  }
  if (total === 0) return `no ${level}+ lines`;
  const frequent = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, n]) => `    ${fmt(n)}× ${k}`);
  return [`${total} lines at ${level} or above; most frequent:`, ...frequent, ...(shedding.length > 0 ? ['  overload control, first lines:', ...shedding] : [])].join('\n');
}
