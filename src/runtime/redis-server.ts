import { mkdirSync } from 'node:fs';
import net from 'node:net';
import type { Logger } from '../logger';
import { findExecutable, startManagedProcess, stopChild, ServiceStartError, type RunningService } from '../platform/managed-process';

export interface RedisServerOptions {
  port: number;
  dataDir: string;
  /** AOF on for the local stack (design §4); tests may turn it off for speed. */
  appendOnly: boolean;
  /** A replica of this primary (Sentinel setups in tests); absent: a primary. */
  replicaOf?: { host: string; port: number };
  logger?: Logger;
}

/**
 * One PING over a plain socket, destroyed before this returns. Not ioredis:
 * its disconnect() after a refused connection leaves a 2 s timer armed (it waits
 * for a 'close' that already happened), which kept test runs from exiting.
 * A sentinel answers it too.
 */
export function pingRedis(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      // +PONG when ready; -LOADING while Redis still reads its data set
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
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
      // AOF fsynced every second: a crash or restart loses at most the last second of queue changes (design §4).
      '--appendonly', options.appendOnly ? 'yes' : 'no', '--appendfsync', 'everysec',
      '--save', '',
      '--daemonize', 'no',
      '--protected-mode', 'yes',
      ...(options.replicaOf ? ['--replicaof', options.replicaOf.host, String(options.replicaOf.port)] : []),
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
