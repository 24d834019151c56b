/**
 * The floor run as one self-contained HTML page, pure (re-exported by
 * floor-report.ts). No script, font, stylesheet or image from anywhere else:
 * the charts are inline SVG drawn here, the style a short <style> block, so the
 * page opens offline from artifacts/floor/<timestamp>/. Every text taken from
 * the run (log lines, ids, component names) is escaped.
 *
 *   floorHtmlReport(summary, run, extras?) → string
 *
 * Charts: service level (rolling, definition A, with the prediction the bound
 * uses as a reference line), waiting callers, concurrent calls (in the IVR /
 * talking), CPU per component and for the machine.
 */
import type { LimitSearch, LimitStep, LimitVerdict } from './floor-limit';
import type { FloorSummary } from './floor-metrics';
import {
  CPU_HEADER, LIMIT_HEADER, cpuRows, floorFigureRows, floorHeadline, floorNotes, limitFromHistory, limitRows, limitSentence, metText, verdictLines,
} from './floor-report-rows';
import type { FloorRun } from './floor-run';
import { cpuSeries, rollingServiceLevel, snapshotSeries } from './floor-series';
import { escapeXml, lineChart } from './floor-svg';

export interface FloorHtmlExtras {
  verdict?: LimitVerdict;
  /** The --find-limit runs so far, and nextLoad's last answer. */
  limitHistory?: readonly LimitStep[];
  limitSearch?: LimitSearch;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1100px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1a7f37; } .missed { color: #b42318; font-weight: bold; }
.charts svg { display: block; margin: 12px 0; }
`;

function table(head: readonly string[], body: ReadonlyArray<ReadonlyArray<{ text: string; className?: string }>>): string {
  const th = head.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const rows = body.map((cells) => `<tr>${cells.map((c) => (c.className ? `<td class="${c.className}">` : '<td>') + escapeXml(c.text) + '</td>').join('')}</tr>`);
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

const plain = (text: string): { text: string } => ({ text });
const numeric = (text: string): { text: string; className: string } => ({ text, className: 'num' });

function list(items: readonly string[]): string {
  return `<ul>\n${items.map((i) => `<li>${escapeXml(i)}</li>`).join('\n')}\n</ul>`;
}

function charts(summary: FloorSummary, run: FloorRun): string[] {
  // The line is definition A, so the reference is each model's definition-A figure.
  const abandonment = summary.erlangC.withAbandonment;
  const predicted = abandonment ? abandonment.serviceLevelA : (summary.erlangC.measured?.serviceLevel ?? null);
  const model = abandonment ? 'Erlang A' : 'Erlang C';
  const c = run.settings.compression;
  const x = `seconds of the run${c === 1 ? '' : ` (× ${c} for the floor's real time)`}`;
  // One x range for all four, so a moment lines up from chart to chart.
  const xRange = [0, Math.max(1, (run.endedAtMs - run.startedAtMs) / 1000)] as const;
  return [
    lineChart({
      title: `Service level A, rolling (answered within ${run.settings.serviceLevelSeconds} s real ÷ offered)`, xLabel: x, xRange, yLabel: '%', yMax: 100,
      series: [{ name: 'service level', points: rollingServiceLevel(run, summary) }],
      ...(predicted === null ? {} : { reference: { y: predicted * 100, label: `${model} ${(predicted * 100).toFixed(1)} %` } }),
    }),
    lineChart({ title: 'Waiting callers', xLabel: x, xRange, yLabel: 'callers', series: [{ name: 'waiting', points: snapshotSeries(run, 'waiting') }] }),
    lineChart({
      title: 'Concurrent calls', xLabel: x, xRange, yLabel: 'calls',
      series: [{ name: 'in the IVR', points: snapshotSeries(run, 'inIvr') }, { name: 'talking', points: snapshotSeries(run, 'talking') }],
    }),
    lineChart({ title: 'CPU per component (100 % = one core)', xLabel: x, xRange, yLabel: '% of one core', series: cpuSeries(run) }),
  ];
}

export function floorHtmlReport(summary: FloorSummary, run: FloorRun, extras: FloorHtmlExtras = {}): string {
  const figures = floorFigureRows(summary, run).map((r) => [
    plain(r.figure), plain(r.measured), plain(r.target), { text: metText(r.met), className: r.met === null ? '' : r.met ? 'ok' : 'missed' },
  ]);
  const notes = floorNotes(summary, run);
  const history = extras.limitHistory ?? [];
  const body = [
    `<h1>${escapeXml(floorHeadline(run))}</h1>`,
    ...(extras.verdict ? [list(verdictLines(extras.verdict))] : []),
    '<h2>Figures</h2>',
    table(['figure', 'measured', 'target', ''], figures),
    '<h2>Over time</h2>',
    `<div class="charts">\n${charts(summary, run).join('\n')}\n</div>`,
    '<h2>CPU and memory</h2>',
    '<p>CPU in percent of one core (200 % = both cores of a 2-core machine); RSS the largest seen.</p>',
    table(CPU_HEADER, cpuRows(summary).map(([component, ...rest]) => [plain(component ?? ''), ...rest.map(numeric)])),
    ...(notes.length > 0 ? ['<h2>Notes</h2>', list(notes)] : []),
    ...(history.length > 0
      ? ['<h2>Limit search</h2>', table(LIMIT_HEADER, limitRows(history).map((row) => row.map(plain))),
        `<p>${escapeXml(limitSentence(extras.limitSearch ?? limitFromHistory(history)))}</p>`]
      : []),
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeXml(`bench:floor — ${run.settings.agents} agents`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
