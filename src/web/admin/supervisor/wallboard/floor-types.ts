/**
 * The floor snapshot the server sends (`GET /api/floor`, and every message of
 * the WebSocket `GET /api/floor/live`). Durations are as of `at`; the page
 * ticks them on locally until the next snapshot.
 */
export interface FloorQueue {
  name: string;
  label: string;
  waiting: number;
  longestWaitMs: number;
  /** Percent (0–100) answered within the threshold, every abandon counting against; null before the first call. */
  serviceLevelToday: number | null;
  serviceLevel30m: number | null;
  slTarget: { percent: number; seconds: number };
  answeredToday: number;
  abandonedToday: number;
  agents: { ready: number; talking: number; ringing: number; wrapUp: number; notReady: number; offline: number };
}

export interface FloorWaitingCall {
  callId: string;
  queue: string;
  clientId?: number | null;
  clientName: string | null;
  clientType: string | null;
  waitMs: number;
  position: number;
  priority: number;
  /** A callback request keeps its place in line like a caller. */
  kind?: 'call' | 'callback';
}

export interface FloorAgent {
  staffId: number;
  name: string;
  /** Wallboard words: ready, ringing, talking, wrapUp, notReady, offline. */
  state: string;
  /** The ACD's own state name (reserved, on_call, …). */
  acdState?: string;
  reason: string | null;
  /** Time in the current state, as of the snapshot. */
  sinceMs: number;
  currentCallId: string | null;
  queues: string[];
}

export interface FloorAlert {
  /** 'service_level' or 'long_wait'; a kind added later is shown by its code. */
  kind: string;
  queue: string;
  message: string;
  /** Epoch ms when the condition began. */
  since: number | null;
}

export interface FloorSnapshot {
  type: 'floor';
  /** Epoch ms the snapshot describes. */
  at: number;
  queues: FloorQueue[];
  waitingCalls: FloorWaitingCall[];
  agents: FloorAgent[];
  alerts: FloorAlert[];
}

/** The states counted per queue, in the order the wallboard shows them. */
export const FLOOR_AGENT_STATES = ['ready', 'ringing', 'talking', 'wrapUp', 'notReady', 'offline'] as const;
export type FloorAgentState = (typeof FLOOR_AGENT_STATES)[number];
