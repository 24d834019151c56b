/**
 * When the system under test runs in the bench's process, an unhandled
 * rejection or uncaught exception from it would end the bench before its
 * `finally` (and, in production, end Switchboard): recorded here, counted
 * against the run in progress, and reported.
 */
import { log } from './format';

const processErrors: Array<{ at: number; text: string }> = [];

function recordProcessError(kind: string, reason: unknown): void {
  const err = reason instanceof Error ? reason : new Error(String(reason));
  const code = (err as Error & { code?: unknown }).code;
  const where = (err.stack ?? '').split('\n').slice(1).find((l) => l.includes('/src/') || l.includes('/bench/'))?.trim() ?? (err.stack ?? '').split('\n')[1]?.trim() ?? '';
  processErrors.push({ at: Date.now(), text: `${kind}: ${err.message}${typeof code === 'string' ? ` (${code})` : ''}${where ? ` ${where}` : ''}` });
  if (processErrors.length <= 3) log(`!! ${kind} in this process (would crash Switchboard): ${err.message}${typeof code === 'string' ? ` (${code})` : ''}`);
}

/** From now on unhandled rejections and uncaught exceptions are recorded instead of ending the process. */
export function recordProcessErrors(): void {
  process.on('unhandledRejection', (reason) => recordProcessError('unhandled rejection', reason));
  process.on('uncaughtException', (err) => recordProcessError('uncaught exception', err));
}

/** Distinct errors recorded since `since` (epoch ms), as "N× text". */
export function distinctErrors(since: number): string[] {
  const counts = new Map<string, number>();
  for (const e of processErrors) if (e.at >= since) counts.set(e.text, (counts.get(e.text) ?? 0) + 1);
  return [...counts.entries()].map(([text, n]) => `${n}× ${text}`);
}
