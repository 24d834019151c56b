import type { UserRole } from '../auth/roles';
import type { MonitoredCall } from './monitor-access';
import type { MonitoringSessionRecord } from './monitoring-session';

/** The signed-in user behind a monitoring request. */
export interface MonitoringUser {
  userId: number;
  username: string;
  role: UserRole;
  staffId: number | null;
}

/** A live call as the live state (the ACD) knows it, without who monitors it. */
export type LiveCallFacts = Omit<MonitoredCall, 'monitoredByUserIds'>;

/** Finds calls in progress (the ACD in Redis, so any process's calls). */
export interface LiveCallLookup {
  /** Null when no live state knows the call. */
  find(callId: string): Promise<LiveCallFacts | null>;
}

/** Which queues a user supervises (queue_supervisors). */
export interface QueueSupervision {
  queuesSupervisedBy(userId: number): Promise<string[]>;
}

export interface MonitoringSessionFilter {
  /** true: running sessions only; false: ended ones only; absent: both. */
  active?: boolean;
  /** Epoch ms bounds on started_at. */
  from?: number;
  to?: number;
  supervisorUserId?: number;
  agentStaffId?: number;
  limit: number;
}

/** A session's row as listed: the record plus the names people read. */
export interface MonitoringSessionListing extends MonitoringSessionRecord {
  supervisorName: string;
  agentName: string | null;
}

/**
 * The audit of monitoring sessions (monitoring_sessions, plus an audit_log line per step). Each write is
 * one transaction with its audit_log line, so neither exists without the other.
 */
export interface MonitoringSessionStore {
  /** Written before anything rings, so that a failure later still leaves the session on record. */
  create(record: MonitoringSessionRecord, by: MonitoringUser): Promise<void>;
  /** The record as it is now: after a mode change, an answer or the end. */
  save(record: MonitoringSessionRecord, step: 'answered' | 'mode' | 'ended', by: MonitoringUser | null): Promise<void>;
  find(id: string): Promise<MonitoringSessionListing | null>;
  list(filter: MonitoringSessionFilter): Promise<MonitoringSessionListing[]>;
  /**
   * Closes the sessions still marked running whose call ended more than `graceMs` ago (its row has ended_at):
   * the process that carried one died before it could close it. Reason call_ended at the call's end, audited
   * by the system. The grace leaves a live process time to close its own. Returns how many were closed.
   */
  closeSessionsOfEndedCalls(graceMs: number): Promise<number>;
  /** Users with a running session on the call. */
  activeMonitorUserIds(callId: string): Promise<number[]>;
}
