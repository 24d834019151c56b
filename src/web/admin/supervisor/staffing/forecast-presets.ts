/** One row of the forecast table. */
export interface ForecastInterval {
  start: string;
  calls: number;
}

/**
 * The share of a day's calls in each hour for a wholesale order line: quiet at
 * night (the centre runs 24/7), a morning ramp as shops open, a late-morning
 * peak, a dip at lunch and a long afternoon. Relative weights; they need not add up.
 */
export const HOURLY_WEIGHTS: readonly number[] = [
  1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.8, 5.5, 8.0, 9.0, 9.0,
  8.0, 7.5, 8.0, 8.0, 7.0, 5.5, 3.5, 2.5, 2.0, 1.6, 1.3, 1.1,
];

/** The design's peak day: 16,000 calls (design §1). */
export const PEAK_DAY_CALLS = 16_000;

/**
 * Spreads `total` calls over 24 hourly intervals by the weights, in whole
 * calls that add up to exactly `total` (largest remainders get the spare calls).
 */
export function spreadOverDay(total: number, weights: readonly number[] = HOURLY_WEIGHTS): ForecastInterval[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const calls = exact.map(Math.floor);
  let spare = total - calls.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((v, i) => ({ i, r: v - Math.floor(v) })).sort((a, b) => b.r - a.r);
  for (const { i } of byRemainder) {
    if (spare <= 0) break;
    calls[i] = (calls[i] ?? 0) + 1;
    spare -= 1;
  }
  return calls.map((n, hour) => ({ start: `${String(hour).padStart(2, '0')}:00`, calls: n }));
}
