import { AppError } from '../errors/app-error';
import type { MonitorLegEndReason } from './monitor-leg';
import type { MonitorMode } from './monitor-mode';

/**
 * A monitoring session's lifecycle (design §8: one state machine per lifecycle):
 * requested (the audit row exists) → ringing (the supervisor's device is being called)
 * → active (they hear the call, in a mode that may change) → ended (with a reason).
 */
export const MONITORING_SESSION_STATES = ['requested', 'ringing', 'active', 'ended'] as const;
export type MonitoringSessionState = (typeof MONITORING_SESSION_STATES)[number];

const TRANSITIONS: Readonly<Record<MonitoringSessionState, readonly MonitoringSessionState[]>> = {
  requested: ['ringing', 'ended'],
  ringing: ['active', 'ended'],
  active: ['ended'],
  ended: [],
};

export type MonitoringEndReason = MonitorLegEndReason;

export interface ModeChange {
  mode: MonitorMode;
  /** Epoch ms. */
  at: number;
}

/** What the audit row holds: written at start, at every mode change and at the end. */
export interface MonitoringSessionRecord {
  id: string;
  callId: string;
  agentStaffId: number | null;
  callerNumber: string | null;
  queue: string | null;
  supervisorUserId: number;
  supervisorStaffId: number | null;
  state: MonitoringSessionState;
  mode: MonitorMode;
  modeHistory: ModeChange[];
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: MonitoringEndReason | null;
  endDetail: string | null;
  /** From answer to end: how long the call was heard; 0 when it never was. Null while running. */
  durationMs: number | null;
}

export type NewMonitoringSession = Pick<MonitoringSessionRecord, 'id' | 'callId' | 'agentStaffId' | 'callerNumber' | 'queue' | 'supervisorUserId' | 'supervisorStaffId' | 'mode'>;

/** One monitoring session; pure: the time of every step is handed in. */
export class MonitoringSession {
  private record: MonitoringSessionRecord;

  constructor(init: NewMonitoringSession, now: number) {
    this.record = {
      ...init, state: 'requested', modeHistory: [{ mode: init.mode, at: now }], startedAt: now,
      answeredAt: null, endedAt: null, endReason: null, endDetail: null, durationMs: null,
    };
  }

  get id(): string {
    return this.record.id;
  }

  get state(): MonitoringSessionState {
    return this.record.state;
  }

  get mode(): MonitorMode {
    return this.record.mode;
  }

  /** A copy: callers store or send it, never change the session through it. */
  snapshot(): MonitoringSessionRecord {
    return { ...this.record, modeHistory: this.record.modeHistory.map((c) => ({ ...c })) };
  }

  ringing(): void {
    this.move('ringing');
  }

  answered(now: number): void {
    this.move('active');
    this.record.answeredAt = now;
  }

  /** Listen ⇄ whisper ⇄ barge while active; the same mode again changes nothing and records nothing. */
  changeMode(mode: MonitorMode, now: number): boolean {
    if (this.record.state !== 'active') {
      throw new AppError('ILLEGAL_TRANSITION', `monitoring session ${this.record.id} is ${this.record.state}: its mode changes only while active`);
    }
    if (mode === this.record.mode) return false;
    this.record.mode = mode;
    this.record.modeHistory.push({ mode, at: now });
    return true;
  }

  /** Ends the session once; false when it had ended already (whoever ended it first gave the reason). */
  end(reason: MonitoringEndReason, now: number, detail?: string): boolean {
    if (this.record.state === 'ended') return false;
    this.move('ended');
    this.record.endedAt = now;
    this.record.endReason = reason;
    this.record.endDetail = detail ?? null;
    this.record.durationMs = this.record.answeredAt === null ? 0 : Math.max(0, now - this.record.answeredAt);
    return true;
  }

  private move(to: MonitoringSessionState): void {
    const from = this.record.state;
    if (!TRANSITIONS[from].includes(to)) {
      throw new AppError('ILLEGAL_TRANSITION', `monitoring session ${this.record.id} cannot go from ${from} to ${to}`);
    }
    this.record.state = to;
  }
}
