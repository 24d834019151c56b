/** part ÷ whole, or null when there is nothing to divide by (a report shows "—", not 0 % or NaN). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** total ÷ count rounded to whole milliseconds, or null when nothing was counted. */
export function averageMs(totalMs: number, count: number): number | null {
  return count > 0 ? Math.round(totalMs / count) : null;
}
