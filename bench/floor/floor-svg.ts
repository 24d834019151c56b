/**
 * Small inline SVG line charts for the floor report, pure (no script, no font
 * or stylesheet from elsewhere: the report opens offline from artifacts/).
 *
 *   lineChart(chart) → string   one <svg> element
 *   escapeXml(text)  → string   text safe inside HTML and SVG, attributes included
 */
import { maxOf, minOf } from './percentiles';

export interface ChartSeries {
  name: string;
  /** [x, y] in the chart's units, x ascending. */
  points: ReadonlyArray<readonly [number, number]>;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** Fix the y range (e.g. 0–100 for a percentage); otherwise 0 to the data's maximum. */
  yMax?: number;
  /** A dashed horizontal line, e.g. a target. */
  reference?: { y: number; label: string };
  /** Fix the x range (the run's whole length, so charts of one run line up); otherwise the data's. */
  xRange?: readonly [number, number];
}

const WIDTH = 720;
const PLOT_HEIGHT = 190;
const PAD = { left: 56, right: 16, bottom: 40 };
/** Title, then the legend's rows, then the plot. */
const TITLE_HEIGHT = 26;
const LEGEND_ROW = 14;
/** Distinguishable on white and for the common colour blindnesses (Okabe–Ito). */
const LEGEND_COLUMNS = 5;
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Round numbers for axis ticks from 0: 1, 2 or 5 × a power of ten, about `count` of them, the last at or above max. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  // Up to the first tick at or above max, so the axis covers every point.
  const ticks: number[] = [0];
  while (ticks[ticks.length - 1]! < max - step * 1e-9) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

function label(value: number): string {
  return Math.abs(value) >= 1000 ? `${Math.round(value / 100) / 10}k` : String(Number(value.toPrecision(4)));
}

export function lineChart(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points);
  const xMin = chart.xRange?.[0] ?? minOf(all.map((p) => p[0])) ?? 0;
  const xMaxRaw = chart.xRange?.[1] ?? maxOf(all.map((p) => p[0])) ?? 1;
  const xMax = xMaxRaw > xMin ? xMaxRaw : xMin + 1;
  const dataMax = all.length > 0 ? Math.max(maxOf(all.map((p) => p[1])) ?? 0, chart.reference?.y ?? 0) : 1;
  const yTicks = niceTicks(chart.yMax ?? (dataMax > 0 ? dataMax : 1));
  const yMax = chart.yMax ?? yTicks[yTicks.length - 1] ?? 1;
  const top = TITLE_HEIGHT + Math.ceil(chart.series.length / LEGEND_COLUMNS) * LEGEND_ROW + 6;
  const height = top + PLOT_HEIGHT + PAD.bottom;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = PLOT_HEIGHT;
  const x = (v: number): number => PAD.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number): number => top + plotH - (Math.min(Math.max(v, 0), yMax) / yMax) * plotH;
  const f = (v: number): string => v.toFixed(1);

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}">`);
  parts.push(`<title>${escapeXml(chart.title)}</title>`);
  parts.push(`<text x="${PAD.left}" y="18" font-size="14" font-weight="bold">${escapeXml(chart.title)}</text>`);
  for (const t of yTicks.filter((v) => v <= yMax)) {
    parts.push(`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#ddd"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${f(y(t) + 4)}" font-size="11" text-anchor="end">${label(t)}</text>`);
  }
  for (const t of niceTicks(xMax - xMin, 8).filter((v) => v <= xMax - xMin + 1e-9)) {
    parts.push(`<text x="${f(x(xMin + t))}" y="${height - PAD.bottom + 16}" font-size="11" text-anchor="middle">${label(xMin + t)}</text>`);
  }
  parts.push(`<line x1="${PAD.left}" x2="${PAD.left}" y1="${top}" y2="${top + plotH}" stroke="#444"/>`);
  parts.push(`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#444"/>`);
  parts.push(`<text x="${PAD.left + plotW / 2}" y="${height - 6}" font-size="11" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  parts.push(`<text x="12" y="${top + plotH / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${top + plotH / 2})">${escapeXml(chart.yLabel)}</text>`);
  if (chart.reference) {
    const ry = f(y(chart.reference.y));
    parts.push(`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${ry}" y2="${ry}" stroke="#888" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${WIDTH - PAD.right - 4}" y="${f(y(chart.reference.y) - 4)}" font-size="11" text-anchor="end" fill="#555">${escapeXml(chart.reference.label)}</text>`);
  }
  chart.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    if (s.points.length > 0) {
      const path = s.points.map((p) => `${f(x(p[0]))},${f(y(p[1]))}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${path}"><title>${escapeXml(s.name)}</title></polyline>`);
    }
    const lx = PAD.left + 8 + (i % LEGEND_COLUMNS) * 128;
    const ly = TITLE_HEIGHT + Math.floor(i / LEGEND_COLUMNS) * LEGEND_ROW;
    parts.push(`<rect x="${lx}" y="${ly}" width="10" height="10" fill="${colour}"/>`);
    parts.push(`<text x="${lx + 14}" y="${ly + 9}" font-size="11">${escapeXml(s.name)}</text>`);
  });
  if (all.length === 0) parts.push(`<text x="${PAD.left + plotW / 2}" y="${top + plotH / 2}" font-size="12" text-anchor="middle" fill="#888">no data</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
