/**
 * A throwaway Switchboard for the security scan: `npm start`'s program
 * (src/main.ts) with its own data directory, free ports, demo data and TLS
 * off, listening on loopback only. Stopped with SIGTERM, then SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from '../../src/platform/managed-process';

export interface TestInstance {
  baseUrl: string;
  sipPort: number;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

const PORT_NAMES = ['http', 'pg', 'redis', 'ng', 'dtmf', 'drachtio', 'sip', 'ws', 'wss', 'tls'] as const;

export async function startTestInstance(options: { startTimeoutMs?: number; env?: Record<string, string> } = {}): Promise<TestInstance> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-scan-'));
  // Debian's Postgres runs as its own account when we are root: it must reach the data directory.
  chmodSync(root, 0o755);
  const ports = {} as Record<(typeof PORT_NAMES)[number], number>;
  for (const name of PORT_NAMES) ports[name] = await freeTcpPort();
  const rtpBase = 30000 + (process.pid % 100) * 100;
  let output = '';
  // node with tsx's loader rather than the tsx command, whose wrapper would outlive a SIGKILL's target child.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: {
      ...process.env,
      NODE_ENV: 'development', LOG_LEVEL: 'warn', SWITCHBOARD_DATA_DIR: root, SEED_DEMO: 'true', TLS: 'false',
      PORT: String(ports.http), EMBEDDED_PG_PORT: String(ports.pg), REDIS_PORT: String(ports.redis),
      RTPENGINE_NG_PORT: String(ports.ng), RTPENGINE_DTMF_LOG_PORT: String(ports.dtmf),
      RTPENGINE_PORT_MIN: String(rtpBase), RTPENGINE_PORT_MAX: String(rtpBase + 99),
      DRACHTIO_PORT: String(ports.drachtio), DRACHTIO_SIP_PORT: String(ports.sip), DRACHTIO_WS_PORT: String(ports.ws),
      DRACHTIO_WSS_PORT: String(ports.wss), DRACHTIO_TLS_PORT: String(ports.tls),
      // The scanner is an outsider: loopback is not a monitoring network here (the default trusts 127.0.0.0/8).
      MONITORING_NETWORKS: '192.0.2.0/24', MONITORING_TOKEN: '',
      DATABASE_URL: '', REDIS_URL: '', RTPENGINE_URL: '', DRACHTIO_HOST: '', TLS_CERT_FILE: '', TLS_KEY_FILE: '', PUBLIC_ADDRESS: '', SIP_TRUNKS: '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    try {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(killer);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };

  const up = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), options.startTimeoutMs ?? 120_000);
    const check = (): void => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout?.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!up) {
    await stop();
    throw new Error(`the test instance did not start:\n${output}`);
  }
  return { baseUrl: `http://127.0.0.1:${ports.http}`, sipPort: ports.sip, output: () => output, stop };
}
