import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import type { Acd } from '../acd';
import type { AppConfig } from '../config/config-schema';
import type { Db } from '../db/pool';
import type { Logger } from '../logger';

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
}
