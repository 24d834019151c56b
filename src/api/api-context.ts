import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import type { Acd } from '../acd';
import type { MonitorLegPlacer } from '../call-monitoring/monitor-leg';
import type { AppConfig } from '../config/config-schema';
import type { Db } from '../db/pool';
import type { Logger } from '../logger';
import type { HttpsFront } from './dual-protocol-server';
import type { BlindTransferTarget, ConsultView } from '../sip/inbound-call';
import type { ClickToCallPlaced, ClickToCallRequest } from '../sip/outbound-dialer';

export type { ComponentStatus } from '../platform/component-status';
import type { ComponentStatus } from '../platform/component-status';

/** Everything the HTTP layer needs, handed in by main (or a test). */
export interface ApiContext {
  config: Readonly<AppConfig>;
  db: Db;
  redis: Redis;
  logger: Logger;
  metrics: Registry;
  /** Components other than Postgres and Redis (SIP, media), reported but owned elsewhere. */
  components: () => ComponentStatus[];
  /** The ACD, when Redis is there: agent state routes need it. */
  acd?: Acd;
  /** The calls live in this process (the hotline's InboundCallHandler), when SIP runs here. */
  calls?: LiveCalls;
  /** Places outbound calls (click-to-call), when SIP, media and a trunk setup run here. */
  outbound?: OutboundCalls;
  /** Places monitoring calls (issue 18: listen, whisper, barge), when SIP and media run here; absent: monitoring answers 503. */
  monitorLegs?: MonitorLegPlacer;
  /** HTTPS on the API's port (plain HTTP there redirects); absent: plain HTTP only. */
  https?: HttpsFront;
  /** The site's local certificate authority, offered for download so that PCs can trust it; absent with a real certificate. */
  siteCa?: { pem: Buffer; fingerprint: string };
}

/** What the HTTP layer may ask of outbound calling (sip/outbound-dialer.ts). */
export interface OutboundCalls {
  /**
   * AppError FORBIDDEN, NOT_FOUND, BAD_PHONE_NUMBER, DESTINATION_NOT_ALLOWED or CALL_LIMIT_REACHED (the outbound
   * policy, issue 15), NO_DEVICE or NO_TRUNK before anything rings.
   */
  clickToCall(request: ClickToCallRequest): Promise<ClickToCallPlaced>;
}

/** What the HTTP layer may do to calls in progress in this process. */
export interface LiveCalls {
  /** Null when the call is not live in this process; `consult` is the warm transfer under way, if any. */
  live(callId: string): { connectedStaffId: number | null; consult?: ConsultView | null } | null;
  /** Blind transfer; AppError NOT_FOUND for a call not live here or an unknown target. */
  transfer(callId: string, target: BlindTransferTarget, byStaffId: number | null): Promise<void>;
  /** Warm transfer, started: the caller on hold, the target rung; resolves while it rings. NOT_FOUND, ILLEGAL_TRANSITION. */
  consult(callId: string, target: BlindTransferTarget, byStaffId: number | null): Promise<ConsultView>;
  /** Warm transfer, completed: the caller with the consulted party. ILLEGAL_TRANSITION unless the party answered. */
  completeConsult(callId: string, byStaffId: number | null): Promise<void>;
  /** Warm transfer, cancelled: the consulted party let go, the caller back with the agent. */
  cancelConsult(callId: string, byStaffId: number | null): Promise<void>;
}
