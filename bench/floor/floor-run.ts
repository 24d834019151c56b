/**
 * What one `bench:floor` run collected (issue 16), as plain data: the harness
 * (floor-bench.ts and its adapters) fills it from sipp, Postgres, Redis,
 * rtpengine and /proc; the pure modules (floor-metrics, floor-limit,
 * floor-report) turn it into figures, a verdict and a report without any I/O.
 *
 * Every time here is in real milliseconds of this run. A run may be time
 * compressed (talk, ring, patience, wrap-up and the service-level threshold
 * all divided by `compression`); figures derived from it are scaled back by
 * the metrics, never by the harness.
 */

/** How the seeds' callers split (design §1): most go to operators, some to their managers, some owe money, some are unknown. */
export type CallerKind = 'market' | 'retail' | 'regional' | 'key' | 'debtor' | 'unknown';

export interface FloorSettings {
  /** Operators logged in, each with a registered SIP phone. */
  agents: number;
  /** Poisson arrival rate of callers, calls per second of this run (already compressed). */
  arrivalsPerSecond: number;
  /** Seconds during which new callers arrive; the run then waits for the calls to end. */
  arrivalSeconds: number;
  /** Time compression: 1 is real time; 10 makes a 180 s call last 18 s. */
  compression: number;
  /** Mean talk time before compression, seconds (seeds: 180). */
  talkMeanSeconds: number;
  /** Agent's ring delay before answering, before compression, seconds (uniform). */
  ringDelaySeconds: { min: number; max: number };
  /** Wrap-up after each call, before compression, seconds. */
  wrapUpSeconds: number;
  /** Mean patience of a waiting caller before abandoning, before compression, seconds (exponential); null: nobody abandons. */
  patienceMeanSeconds: number | null;
  /** Share of callers who have a patience at all (the others wait as long as it takes); absent: every caller has one. */
  impatientShare?: number;
  /** Service-level threshold before compression, seconds (seeds: 20). */
  serviceLevelSeconds: number;
  /** Share of each caller kind among arrivals; sums to 1. */
  callerMix: Record<CallerKind, number>;
  /** Seed of the run's random draws, so a run can be repeated. */
  seed: number;
}

/** One caller the run placed. */
export interface PlacedCall {
  index: number;
  kind: CallerKind;
  callerNumber: string;
  /** IVR digits the caller presses ('' when it presses none). */
  digits: string;
  /** Offset from the run's start at which the INVITE was due, ms. */
  dueAtMs: number;
  /** Patience in this run's ms (already compressed); null: waits as long as it takes. */
  patienceMs: number | null;
  /** The caller's SIP Call-ID, to find its call row. */
  sipCallId: string;
}

/** What Postgres holds for one placed call after the run (null fields: the row does not say). */
export interface FloorCallRow {
  sipCallId: string;
  callId: string;
  /** calls.outcome as stored (answered, abandoned, overflow, voicemail, failed, ...). */
  outcome: string;
  queue: string | null;
  agentId: string | null;
  startedAtMs: number;
  /** Entered the ACD queue; null: never queued (went straight to a manager, finance, refused...). */
  queuedAtMs: number | null;
  answeredAtMs: number | null;
  endedAtMs: number | null;
  /** calls.routing_reason: why the routing sent the call where it went. */
  routingReason?: string | null;
  /** The recording of an answered call: null when there is none; rms of each channel when there is. */
  recording: { path: string; callerRms: number; agentRms: number } | null;
}

/** One sample of one process's CPU and memory. */
export interface ProcessSample {
  atMs: number;
  /** switchboard, drachtio-server, rtpengine, redis, postgres, sipp (all sipp processes together). */
  component: string;
  /** Percent of one core over the interval since the previous sample (200 = both cores of this machine). */
  cpuPercent: number;
  rssBytes: number;
}

/** The floor as the ACD saw it at one moment. */
export interface FloorSnapshot {
  atMs: number;
  waiting: number;
  inIvr: number;
  talking: number;
  agentsReady: number;
  agentsWrapUp: number;
}

/** Time each agent state was held over the whole run, summed over agents, ms. */
export interface AgentTime {
  talkingMs: number;
  ringingMs: number;
  wrapUpMs: number;
  readyMs: number;
  /** Logged in in any state (the denominator of occupancy). */
  loggedInMs: number;
}

export interface FloorRun {
  settings: FloorSettings;
  startedAtMs: number;
  endedAtMs: number;
  placed: PlacedCall[];
  rows: FloorCallRow[];
  /** ACD assignment → INVITE arriving at the agent's phone, one per offered ring, ms. */
  ringLatenciesMs: number[];
  /** Caller's INVITE → first IVR audio toward the caller, one per call that reached the IVR, ms. */
  ivrAudioMs: number[];
  processes: ProcessSample[];
  snapshots: FloorSnapshot[];
  agentTime: AgentTime;
  /** rtpengine calls still open after every call ended. */
  rtpengineSessionsLeft: number;
  /** Distinct error lines of Switchboard's log (level ≥ error), with counts. */
  logErrors: Array<{ message: string; count: number }>;
  /** The floor's agents by ACD state once the run was over (all should be ready). */
  agentStatesAtEnd?: Record<string, number>;
  /** The floor's agents not Ready once the run was over, with the call the ACD still gives them. */
  agentsNotReadyAtEnd?: Array<{ staffId: number; state: string; callId: string | null; sinceMs: number | null }>;
  /** Callers Switchboard refused (503, the overload control): no call row by design, so not a lost row. */
  refusedSipCallIds?: string[];
  /** Each INVITE's send time (sipp's log) minus its due time, ms: how well the arrivals kept to the Poisson schedule. */
  inviteLagsMs?: number[];
  /** The floor's staff by ACD agent id (string, as FloorCallRow.agentId): operators, key-account managers, finance. */
  agentRoles?: Record<string, string>;
  /** sipp processes that served the agents' phones. */
  phoneProcesses?: number;
  /** The callers' sipp error log, first lines ('' when clean). */
  callerSippErrors?: string;
  /** What ivrAudioMs measures from and to. */
  ivrAudioSource?: string;
}
