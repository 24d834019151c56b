/**
 * Small inline-SVG charts for the supervisor screens (no chart library: the
 * bundle stays small and the charts print and scale like text). One combo chart
 * covers what the screens need: bars (grouped or stacked) and lines over the
 * same categories, an optional right-hand axis, ticks, a legend, and an
 * accessible name plus a <title>/<desc> that screen readers announce.
 */

export interface ChartSeries {
  name: string;
  values: ReadonlyArray<number | null>;
  color: string;
  kind: 'bar' | 'line';
  /** Which axis the series is read against; default left. */
  axis?: 'left' | 'right';
  /** Bars with the same stack id are stacked; others stand side by side. */
  stack?: string;
  /** Dashed line (targets, thresholds). */
  dashed?: boolean;
}

export interface ComboChartProps {
  title: string;
  categories: readonly string[];
  series: readonly ChartSeries[];
  leftLabel?: string;
  rightLabel?: string;
  formatLeft?: (value: number) => string;
  formatRight?: (value: number) => string;
  /** Fixed axis ranges (e.g. 0–100 % for a service level). */
  leftMax?: number;
  rightMax?: number;
  height?: number;
  /** Shown under the chart for readers who want a sentence rather than shapes. */
  summary?: string;
}

import { useEffect, useRef, useState } from 'preact/hooks';

const DEFAULT_WIDTH = 860;
const PAD = { top: 16, right: 56, bottom: 44, left: 56 };
/** Bars wider than this read as blocks rather than bars (a report of one day). */
const MAX_BAR_WIDTH = 56;

/**
 * The chart is drawn at its real pixel width (re-measured when the layout
 * changes), so that labels keep their size instead of scaling with the box.
 */
function useWidth(): [preact.RefObject<HTMLElement | null>, number] {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = (): void => {
      const w = Math.round(el.clientWidth);
      if (w > 0) setWidth((old) => (Math.abs(old - w) > 1 ? w : old));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** 1, 2, 2.5, 5 × 10^n steps, so that ticks read as round numbers. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.001; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks[ticks.length - 1] ?? 0) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

function axisMax(values: number[], fixed: number | undefined): number[] {
  if (fixed !== undefined) return niceTicks(fixed);
  return niceTicks(Math.max(0, ...values));
}

const plain = (v: number): string => (Math.abs(v) >= 1000 ? v.toLocaleString() : String(Number(v.toFixed(2))));

/** Bars and lines over shared categories, with one or two value axes. */
export function ComboChart(props: ComboChartProps): preact.JSX.Element {
  const [figureRef, WIDTH] = useWidth();
  const height = props.height ?? 260;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const n = Math.max(1, props.categories.length);
  const band = plotW / n;
  const hasRight = props.series.some((s) => s.axis === 'right');

  // Stacked bars need their stack totals for the axis range.
  const leftValues: number[] = [];
  const rightValues: number[] = [];
  const stackTotals = new Map<string, number[]>();
  for (const s of props.series) {
    const target = s.axis === 'right' ? rightValues : leftValues;
    if (s.kind === 'bar' && s.stack) {
      const totals = stackTotals.get(`${s.axis ?? 'left'}:${s.stack}`) ?? new Array<number>(n).fill(0);
      s.values.forEach((v, i) => { totals[i] = (totals[i] ?? 0) + (v ?? 0); });
      stackTotals.set(`${s.axis ?? 'left'}:${s.stack}`, totals);
    } else {
      for (const v of s.values) if (v !== null) target.push(v);
    }
  }
  for (const [key, totals] of stackTotals) (key.startsWith('right') ? rightValues : leftValues).push(...totals);
  const leftTicks = axisMax(leftValues, props.leftMax);
  const rightTicks = axisMax(rightValues, props.rightMax);
  const leftTop = leftTicks[leftTicks.length - 1] ?? 1;
  const rightTop = rightTicks[rightTicks.length - 1] ?? 1;
  const y = (v: number, axis: 'left' | 'right' | undefined): number => PAD.top + plotH - (v / (axis === 'right' ? rightTop : leftTop)) * plotH;
  const formatLeft = props.formatLeft ?? plain;
  const formatRight = props.formatRight ?? plain;

  // Bar slots: one per unstacked bar series, one per stack.
  const slots: string[] = [];
  for (const s of props.series) {
    if (s.kind !== 'bar') continue;
    const slot = s.stack ? `stack:${s.stack}` : `series:${s.name}`;
    if (!slots.includes(slot)) slots.push(slot);
  }
  const groupW = Math.min(band * 0.72, MAX_BAR_WIDTH * Math.max(1, slots.length));
  const barW = slots.length > 0 ? groupW / slots.length : 0;
  const stackBase = new Map<string, number[]>();

  // Label every category when they fit, else every k-th.
  const labelEvery = Math.max(1, Math.ceil(n / Math.floor(plotW / 46)));
  const description = props.summary ?? `${props.title}: ${props.series.map((s) => s.name).join(', ')} for ${props.categories.length} intervals`;

  return (
    <figure class="chart" ref={figureRef}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={props.title} preserveAspectRatio="xMidYMid meet">
        <title>{props.title}</title>
        <desc>{description}</desc>
        {leftTicks.map((t) => (
          <g key={`l${t}`}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t, 'left')} y2={y(t, 'left')} class="grid" />
            <text x={PAD.left - 6} y={y(t, 'left') + 4} text-anchor="end" class="tick">{formatLeft(t)}</text>
          </g>
        ))}
        {hasRight && rightTicks.map((t) => (
          <text key={`r${t}`} x={WIDTH - PAD.right + 6} y={y(t, 'right') + 4} class="tick">{formatRight(t)}</text>
        ))}
        {props.leftLabel && <text class="axis-label" transform={`translate(14 ${PAD.top + plotH / 2}) rotate(-90)`} text-anchor="middle">{props.leftLabel}</text>}
        {hasRight && props.rightLabel && <text class="axis-label" transform={`translate(${WIDTH - 10} ${PAD.top + plotH / 2}) rotate(90)`} text-anchor="middle">{props.rightLabel}</text>}
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} class="axis" />
        {props.categories.map((c, i) => (i % labelEvery === 0 ? (
          <text key={`c${i}`} x={PAD.left + band * i + band / 2} y={PAD.top + plotH + 16} text-anchor="middle" class="tick">{c}</text>
        ) : null))}
        {props.series.map((s) => {
          if (s.kind !== 'bar') return null;
          const slot = slots.indexOf(s.stack ? `stack:${s.stack}` : `series:${s.name}`);
          const baseKey = `${s.axis ?? 'left'}:${s.stack ?? s.name}`;
          const base = stackBase.get(baseKey) ?? new Array<number>(n).fill(0);
          stackBase.set(baseKey, base);
          return (
            <g key={s.name} fill={s.color}>
              {s.values.map((v, i) => {
                if (v === null || v <= 0) return null;
                const bottom = base[i] ?? 0;
                if (s.stack) base[i] = bottom + v;
                const top = y(bottom + v, s.axis);
                const x = PAD.left + band * i + (band - groupW) / 2 + barW * slot;
                return (
                  <rect key={i} x={x} y={top} width={Math.max(1, barW - 1)} height={Math.max(0, y(bottom, s.axis) - top)}>
                    <title>{`${props.categories[i] ?? ''} — ${s.name}: ${(s.axis === 'right' ? formatRight : formatLeft)(v)}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
        {props.series.map((s) => {
          if (s.kind !== 'line') return null;
          const points = s.values.map((v, i) => (v === null ? null : `${PAD.left + band * i + band / 2},${y(v, s.axis)}`));
          // A gap (null) breaks the line rather than pretending the value was zero.
          const segments: string[][] = [[]];
          for (const p of points) {
            if (p === null) segments.push([]);
            else segments[segments.length - 1]?.push(p);
          }
          // One interval: a line of one point is drawn across its band, so that a target still shows as a line.
          if (n === 1 && s.values[0] !== null && s.values[0] !== undefined) {
            const yv = y(s.values[0], s.axis);
            segments.splice(0, segments.length, [`${PAD.left + band * 0.08},${yv}`, `${PAD.left + band * 0.92},${yv}`]);
          }
          return (
            <g key={s.name}>
              {segments.filter((seg) => seg.length > 1).map((seg, i) => (
                <polyline key={i} points={seg.join(' ')} fill="none" stroke={s.color} stroke-width="2.5" stroke-dasharray={s.dashed ? '6 4' : undefined} />
              ))}
              {!s.dashed && s.values.map((v, i) => (v === null ? null : (
                <circle key={i} cx={PAD.left + band * i + band / 2} cy={y(v, s.axis)} r={n > 40 ? 1.5 : 3} fill={s.color}>
                  <title>{`${props.categories[i] ?? ''} — ${s.name}: ${(s.axis === 'right' ? formatRight : formatLeft)(v)}`}</title>
                </circle>
              )))}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {props.series.map((s) => (
          <span key={s.name} class="legend-item">
            <span class={`swatch ${s.kind}${s.dashed ? ' dashed' : ''}`} style={{ background: s.kind === 'bar' ? s.color : undefined, borderColor: s.color }} aria-hidden="true" />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** A horizontal bar per item (per operator, per status): for comparing a handful of values at a glance. */
export function HorizontalBars(props: { title: string; items: ReadonlyArray<{ label: string; value: number; color?: string }>; format?: (v: number) => string; max?: number }): preact.JSX.Element {
  const max = props.max ?? Math.max(1, ...props.items.map((i) => i.value));
  const format = props.format ?? plain;
  return (
    <figure class="hbars" role="img" aria-label={props.title}>
      <figcaption class="visually-hidden">{props.title}</figcaption>
      {props.items.map((item) => (
        <div class="hbar-row" key={item.label}>
          <span class="hbar-label">{item.label}</span>
          <span class="hbar-track"><span class="hbar-fill" style={{ width: `${Math.min(100, (item.value / max) * 100)}%`, background: item.color ?? 'var(--accent)' }} /></span>
          <span class="hbar-value">{format(item.value)}</span>
        </div>
      ))}
    </figure>
  );
}
