/**
 * How a supervisor joins a live call (issue 18): listen hears both parties and
 * is heard by nobody; whisper is heard by the agent only; barge by both.
 */
export const MONITOR_MODES = ['listen', 'whisper', 'barge'] as const;
export type MonitorMode = (typeof MONITOR_MODES)[number];
