/** Telephone audio's sample rate: G.711 and everything the tests decode from it. */
const RATE = 8000;

/**
 * The power of `samples` (8 kHz) at `hz` (Goertzel), relative to the
 * signal's total power: near 1 for a pure tone at `hz`, near 0 for a tone
 * elsewhere or for silence. The window is the whole of `samples`: give it a
 * stretch where the tone is steady (a second or two), not a call with its
 * silences and prompts.
 */
export function bandShare(samples: ArrayLike<number>, hz: number): number {
  const n = samples.length;
  if (n === 0) return 0;
  // At `hz` itself, not the nearest DFT bin: a window whose length is no whole number of the tone's periods (the
  // last stretch of a recording) would otherwise leak up to half the tone's power out of the measure.
  const w = (2 * Math.PI * hz) / RATE;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[i]!;
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return total === 0 ? 0 : (2 * power) / (n * total);
}

/** bandShare at each of `hzList`, keyed by the frequency (rounded to 3 places, for a readable failure). */
export function bandShares(samples: ArrayLike<number>, hzList: readonly number[]): Record<number, number> {
  return Object.fromEntries(hzList.map((hz) => [hz, Math.round(bandShare(samples, hz) * 1000) / 1000]));
}

/** The last `ms` of 8 kHz `samples`. */
export function lastMs(samples: Int16Array, ms: number): Int16Array {
  return samples.subarray(Math.max(0, samples.length - Math.floor((ms * RATE) / 1000)));
}
