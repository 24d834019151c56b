import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import type { Acd } from '../acd';
import type { AppConfig } from '../config/config-schema';
import type { Db } from '../db/pool';
import type { Logger } from '../logger';
import type { BlindTransferTarget } from '../sip/inbound-call';

/** Live state of one real component, shown on /readyz and in metrics. */
export interface ComponentStatus {
  name: string;
  state: 'up' | 'down' | 'disabled';
  /** Whether the service is unready while this component is down. */
  required: boolean;
  detail?: string;
}

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
}

/** What the HTTP layer may do to calls in progress in this process. */
export interface LiveCalls {
  /** Null when the call is not live in this process. */
  live(callId: string): { connectedStaffId: number | null } | null;
  /** Blind transfer; AppError NOT_FOUND for a call not live here or an unknown target. */
  transfer(callId: string, target: BlindTransferTarget, byStaffId: number | null): Promise<void>;
}
