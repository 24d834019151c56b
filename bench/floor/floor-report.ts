/**
 * The floor run's reports (issue 16), pure: strings for the harness to print
 * and write.
 *
 *   floorTextReport(summary, run, verdict?)     → string  aligned table, each figure next to its target
 *   floorHtmlReport(summary, run, extras?)      → string  one self-contained page: charts (inline SVG) and the tables
 *   floorLimitReport(history, search?)          → string  the --find-limit table and the limit found
 *   floorReportDir(at) / FLOOR_REPORT_FILES     → where the harness writes them: artifacts/floor/<timestamp>/
 *   floorReportFiles(summary, run, extras?)     → { file name: content } for that directory, ready to write
 *
 * Durations of the floor (SL threshold, ASA, AHT) are shown in real time with
 * the run's own in brackets; latencies (ring, IVR audio) are the machine's and
 * never scaled.
 */
import type { LimitSearch, LimitStep, LimitVerdict } from './floor-limit';
import type { FloorSummary } from './floor-metrics';
import {
  CPU_HEADER, LIMIT_HEADER, cpuRows, floorFigureRows, floorHeadline, floorNotes, limitFromHistory, limitRows, limitSentence, metText, verdictLines,
  type FigureRow,
} from './floor-report-rows';
import type { FloorRun } from './floor-run';

import { floorHtmlReport, type FloorHtmlExtras } from './floor-html';

export { floorHtmlReport, type FloorHtmlExtras };

/** The files of one report, inside floorReportDir(). */
export const FLOOR_REPORT_FILES = {
  text: 'floor-report.txt',
  html: 'floor-report.html',
  /** JSON.stringify(summary): every figure, for comparing runs. */
  summary: 'floor-summary.json',
  limit: 'floor-limit.txt',
} as const;

/** artifacts/floor/<UTC timestamp>, e.g. artifacts/floor/2026-12-06T17-20-13Z (no colons: safe on every file system). */
export function floorReportDir(at: Date): string {
  return `artifacts/floor/${at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')}`;
}

/** Columns padded to their widest cell; the last column is not padded (free text). */
export function alignColumns(rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r
    .map((cell, i) => (i === r.length - 1 ? cell : rightAligned.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd());
}

function figureTable(rows: readonly FigureRow[]): string[] {
  return alignColumns([['figure', 'measured', 'target', ''], ...rows.map((r) => [r.figure, r.measured, r.target, metText(r.met)])]);
}

export function floorTextReport(summary: FloorSummary, run: FloorRun, verdict?: LimitVerdict): string {
  const notes = floorNotes(summary, run);
  return [
    floorHeadline(run),
    '',
    ...figureTable(floorFigureRows(summary, run)),
    '',
    'CPU in percent of one core (200 % = both cores of a 2-core machine); RSS the largest seen',
    ...alignColumns([CPU_HEADER, ...cpuRows(summary)], [1, 2, 3, 4, 5]),
    ...(verdict ? ['', ...verdictLines(verdict)] : []),
    ...(notes.length > 0 ? ['', 'notes:', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}

/** The --find-limit history as a table, and the limit found (from `search`, or from the history when not given). */
export function floorLimitReport(history: readonly LimitStep[], search?: LimitSearch): string {
  return [
    'limit search: arrival rate and agents raised together (agents in proportion, so occupancy stays the first run\'s); calls/s are per second of the run',
    ...alignColumns([LIMIT_HEADER, ...limitRows(history)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    '',
    limitSentence(search ?? limitFromHistory(history)),
    ...(search ? [`search: ${search.reason}`] : []),
  ].join('\n');
}

/**
 * Every file of one run's report, by name: the text and HTML reports, the
 * summary as JSON (Infinity, an unstable queue's ASA, becomes null) and, when
 * there is a limit search, its table.
 */
export function floorReportFiles(summary: FloorSummary, run: FloorRun, extras: FloorHtmlExtras = {}): Record<string, string> {
  const files: Record<string, string> = {
    [FLOOR_REPORT_FILES.text]: `${floorTextReport(summary, run, extras.verdict)}\n`,
    [FLOOR_REPORT_FILES.html]: floorHtmlReport(summary, run, extras),
    [FLOOR_REPORT_FILES.summary]: `${JSON.stringify(summary, null, 2)}\n`,
  };
  if (extras.limitHistory && extras.limitHistory.length > 0) files[FLOOR_REPORT_FILES.limit] = `${floorLimitReport(extras.limitHistory, extras.limitSearch)}\n`;
  return files;
}
