/** What the ACD can say about how long a caller will still wait. */
export type WaitEstimate = { kind: 'known'; ms: number } | { kind: 'unknown'; why: 'no_handle_times' | 'no_agents' };

/**
 * Estimated wait for the caller at 1-based `position`.
 *
 * Each agent serving the queue frees up once per average handle time, so the
 * callers ahead (position − 1) plus this one are served at `agents / aht` per
 * ms; agents already ready take the first callers at once. Without recent
 * handle times or without anyone serving, the honest answer is "unknown".
 */
export function estimateWait(input: {
  position: number;
  recentHandleTimesMs: readonly number[];
  agentsServing: number;
  agentsReady: number;
}): WaitEstimate {
  if (input.agentsServing <= 0) return { kind: 'unknown', why: 'no_agents' };
  if (input.recentHandleTimesMs.length === 0) return { kind: 'unknown', why: 'no_handle_times' };
  const aht = input.recentHandleTimesMs.reduce((sum, t) => sum + t, 0) / input.recentHandleTimesMs.length;
  const ahead = Math.max(0, input.position - input.agentsReady);
  return { kind: 'known', ms: Math.round((ahead * aht) / input.agentsServing) };
}
