/**
 * Percentiles for the floor bench, pure.
 *
 * Nearest-rank (the smallest value with at least p % of the sample at or
 * below it), the same rule bench/acd-bench.ts uses privately: a p99 is then
 * always a latency that really happened, never an interpolation between two.
 *
 *   percentile(values, p)   → number | null   (null for an empty sample)
 *   describe(values)        → Distribution    (count, p50, p95, p99, max, mean)
 *   maxOf(values), minOf(values) → number | null   (a loop: Math.max(...values) overflows the stack past ~100,000 values)
 */

/** Count, mean and the usual percentiles of one sample; null figures when the sample is empty. */
export interface Distribution {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

/** The p-th percentile (0 < p ≤ 100) by nearest rank; null for an empty sample. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  return nearestRank([...values].sort((a, b) => a - b), p);
}

export function describe(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, v) => total + v, 0);
  return {
    count: sorted.length,
    mean: sorted.length > 0 ? sum / sorted.length : null,
    p50: nearestRank(sorted, 50),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] ?? null) : null,
  };
}

export function maxOf(values: readonly number[]): number | null {
  let max: number | null = null;
  for (const v of values) if (max === null || v > max) max = v;
  return max;
}

export function minOf(values: readonly number[]): number | null {
  let min: number | null = null;
  for (const v of values) if (min === null || v < min) min = v;
  return min;
}
