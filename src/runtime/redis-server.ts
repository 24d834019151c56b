import { mkdirSync } from 'node:fs';
import Redis from 'ioredis';
import type { Logger } from '../logger';
import { findExecutable, startManagedProcess, stopChild, ServiceStartError, type RunningService } from './managed-process';

export interface RedisServerOptions {
  port: number;
  dataDir: string;
  /** AOF on for the local stack (design §4); tests may turn it off for speed. */
  appendOnly: boolean;
  logger?: Logger;
}

async function pingRedis(port: number): Promise<boolean> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } finally {
    client.disconnect();
  }
}

/** Starts `redis-server` from PATH bound to loopback. */
export async function startRedisServer(options: RedisServerOptions): Promise<RunningService> {
  const binary = findExecutable('redis-server');
  if (!binary) {
    throw new ServiceStartError('redis-server is not installed: apt-get install redis-server, or set REDIS_URL');
  }
  mkdirSync(options.dataDir, { recursive: true });
  const child = await startManagedProcess({
    name: 'redis',
    command: binary,
    args: [
      '--port', String(options.port),
      '--bind', '127.0.0.1',
      '--dir', options.dataDir,
      '--appendonly', options.appendOnly ? 'yes' : 'no',
      '--save', '',
      '--daemonize', 'no',
      '--protected-mode', 'yes',
    ],
    ready: () => pingRedis(options.port),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    name: 'redis',
    url: `redis://127.0.0.1:${options.port}`,
    stop: () => stopChild(child, 'SIGTERM'),
  };
}
