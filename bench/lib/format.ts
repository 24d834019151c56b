/** Number formatting, settings from the environment and time-stamped lines, shared by the benches. */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A number with thousands separators and a fixed number of digits; '–' for NaN/Infinity. */
export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';

export const mb = (bytes: number): string => `${fmt(bytes / 1024 / 1024, 0)} MB`;

/** sipp measures response times in whole milliseconds. */
export const rtdText = (ms: number): string => (ms < 1 ? '< 1 ms' : `${fmt(ms, 0)} ms`);

/** One progress line, prefixed with the UTC time of day. */
export const log = (line: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** A whole number from the environment, at least `min`; `fallback` when unset or blank. */
export function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}; got ${JSON.stringify(raw)}`);
  return Math.floor(value);
}

/** Comma-separated positive numbers from the environment, ascending. */
export function envRates(name: string, fallback: string): number[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isFinite(n) && n > 0)
    .sort((a, b) => a - b);
}

/** Comma-separated names from the environment (e.g. phases to skip). */
export function envSet(name: string): Set<string> {
  return new Set((process.env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

/**
 * A right-aligned text table under a title. The last column is left-aligned
 * and does not widen the others (it holds free text such as a failure note).
 */
export function textTable(title: string, head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (i === head.length - 1 ? 0 : (row[i] ?? '').length))));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]!))).join('  ');
  return [title, line(head), ...body.map(line)].join('\n');
}
