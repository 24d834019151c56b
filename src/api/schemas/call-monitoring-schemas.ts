import { Type, type Static } from '@sinclair/typebox';
import { MONITOR_MODES } from '../../call-monitoring/monitor-mode';
import { MONITORING_SESSION_STATES } from '../../call-monitoring/monitoring-session';
import { Id, Nullable, StringEnum, Timestamp } from './common-schemas';

/** Call monitoring (issue 18): the API's bodies, shared with the admin app's pages. */

export const MonitorModeName = StringEnum(MONITOR_MODES);
const END_REASONS = ['supervisor_hung_up', 'call_ended', 'stopped', 'failed'] as const;

export const MonitoringSession = Type.Object({
  id: Type.String({ format: 'uuid' }),
  callId: Type.String(),
  agentStaffId: Nullable(Id), agentName: Nullable(Type.String()),
  callerNumber: Nullable(Type.String()), queue: Nullable(Type.String()),
  supervisorUserId: Type.Integer({ minimum: 0 }), supervisorName: Type.String(), supervisorStaffId: Nullable(Id),
  state: StringEnum(MONITORING_SESSION_STATES), mode: MonitorModeName,
  modeHistory: Type.Array(Type.Object({ mode: MonitorModeName, at: Timestamp })),
  startedAt: Timestamp, answeredAt: Nullable(Timestamp), endedAt: Nullable(Timestamp),
  endReason: Nullable(StringEnum(END_REASONS)), endDetail: Nullable(Type.String()),
  /** Answer to end, in seconds (0: never answered); null while the session runs. */
  durationSeconds: Nullable(Type.Number({ minimum: 0 })),
});
export type MonitoringSession = Static<typeof MonitoringSession>;

export const MonitoringCapabilities = Type.Object({
  available: Type.Boolean({ description: 'false: no SIP side in this process; starting answers 503' }),
  supportedModes: Type.Array(MonitorModeName),
  allowedModes: Type.Array(MonitorModeName, { description: 'the modes this user may start or switch to: role and site policy, within the supported ones' }),
  queues: Nullable(Type.Array(Type.String(), { description: 'the queues whose calls this user may monitor; null: every queue' })),
  policy: Type.Object({
    unassignedSupervisorsSeeAllQueues: Type.Boolean(),
    announce: StringEnum(['none', 'tone']),
    qualityMayWhisper: Type.Boolean(),
  }),
});
export type MonitoringCapabilities = Static<typeof MonitoringCapabilities>;

export const QueueSupervisors = Type.Object({
  queueId: Id, queue: Type.String(), label: Type.String(),
  supervisors: Type.Array(Type.Object({ userId: Id, username: Type.String(), role: Type.String() })),
});
export type QueueSupervisors = Static<typeof QueueSupervisors>;
