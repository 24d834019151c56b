import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { findExecutable, startManagedProcess, stopChild, tcpPortOpen, ServiceStartError, type RunningService } from '../runtime/managed-process';

export interface DrachtioProcessOptions {
  binary: string;
  adminPort: number;
  secret: string;
  sipPort: number;
  wsPort: number;
  host: string;
  workDir: string;
  logger?: Logger;
}

/** True when a drachtio-server binary can be run here (the E2E tier and `npm start` both ask). */
export function drachtioAvailable(binary = 'drachtio'): boolean {
  return findExecutable(binary) !== null;
}

/**
 * Starts a local drachtio-server: SIP on UDP/TCP and WebSocket (for sip.js
 * softphones), the drachtio control port for this app. The server insists on a
 * config file even when every setting comes from flags, so a stub is written.
 */
export async function startDrachtioServer(options: DrachtioProcessOptions): Promise<RunningService> {
  const binary = findExecutable(options.binary);
  if (!binary) {
    throw new ServiceStartError('drachtio-server is not installed (no `drachtio` on PATH): set DRACHTIO_HOST to a running server, or run the docker-compose stack');
  }
  mkdirSync(options.workDir, { recursive: true });
  const stubConfig = path.join(options.workDir, 'drachtio.conf.xml');
  writeFileSync(stubConfig, '<drachtio><admin/></drachtio>\n');
  const child = await startManagedProcess({
    name: 'drachtio',
    command: binary,
    args: [
      '-f', stubConfig,
      '--address', '127.0.0.1',
      '--port', String(options.adminPort),
      '--secret', options.secret,
      '--contact', `sip:${options.host}:${options.sipPort};transport=udp,tcp`,
      '--contact', `sip:${options.host}:${options.wsPort};transport=ws`,
      '--loglevel', 'warning',
      '--sofia-loglevel', '0',
      '--stdout',
    ],
    ready: () => tcpPortOpen('127.0.0.1', options.adminPort),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { name: 'drachtio', url: `tcp://127.0.0.1:${options.adminPort}`, stop: () => stopChild(child, 'SIGTERM') };
}
