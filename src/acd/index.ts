/** The automatic call distributor: queues, agents, assignment and live statistics in Redis. */
export { Acd } from './acd';
export type {
  AcdOptions, AcdOperationResult, AgentSnapshot, CallSnapshot, EnqueueRequest, EnqueueResult, QueuePosition, Reservation,
  ReservationListener,
} from './acd';
export type { AcdEvent, AcdEventType } from './acd-event';
export { AcdEventWriter, toAcdEventRecord, type AcdEventWriterOptions, type DrainStep } from './acd-event-writer';
export type { AcdEventRecord, AcdEventStore } from './acd-event-store';
export { parseAcdEvent } from './acd-event';
export { auditAssignments, type AssignmentAudit } from './assignment-audit';
export { DEFAULT_ACD_SETTINGS, type AcdSettings } from './acd-settings';
export { AGENT_KINDS, validateAgentProfile, type AgentKind, type AgentProfile } from './agent-profile';
export {
  AGENT_STATES, AGENT_TRANSITIONS, BUILTIN_NOT_READY_REASONS, USER_SETTABLE_STATES, canAgentTransition,
  type AgentState, type UserSettableState,
} from './agent-state';
export { CALL_TRANSITIONS, QUEUED_CALL_STATES, canCallTransition, type QueuedCallState } from './call-state';
export { calendarDayIn, type DayOf } from './calendar-day';
export { ManualClock, systemClock, utcDay, type Clock } from './clock';
export { readAcdEvents, readAllAcdEvents, subscribeAcdEvents, type StoredAcdEvent } from './event-feed';
export { AcdKeys, ACD_KEY_LAYOUT, DEFAULT_ACD_PREFIX } from './keys';
export { LANGUAGE_MATCH_WAIT_MS, preferLanguage } from './language-preference';
export { activeStageIndex, ANY_QUEUE_AGENT, MAX_STAGES, type MatchStage, type SkillRequirement, type StageScope } from './match-stage';
export {
  resolveQueueConfig, ROUTING_STRATEGIES, type EmptyQueuePolicy, type OverflowTarget, type PersonFallback, type QueueConfig,
  type QueueConfigInput, type RoutingStrategy,
} from './queue-config';
export { DEFAULT_PRIORITY, PRIORITY_MAX, PRIORITY_MIN } from './queue-score';
export type { PeriodStats, QueueStats } from './queue-stats';
