/** A drachtio-server for a bench app: our own (binary on PATH) or the one at DRACHTIO_HOST, and an srf connected to it. */
import type { Logger } from '../../src/logger';
import { freeTcpPort, type RunningService } from '../../src/platform/managed-process';
import { startDrachtioServer } from '../../src/sip/drachtio-process';
import { SipConnection } from '../../src/sip/sip-connection';
import { tempDir } from './cleanup';
import { sleep } from './format';
import { LOOPBACK } from './sipp';

export interface DrachtioPlan {
  /** Start our own drachtio-server (binary on PATH), else use the one at DRACHTIO_HOST. */
  binary: string | null;
  external: { host: string; port: number; secret: string; sipPort: number } | null;
}

export interface BenchDrachtio {
  connection: SipConnection;
  /** host:port for sipp. */
  sipTarget: string;
  /** Disconnects and stops our own drachtio-server. */
  stop(): Promise<void>;
}

export async function connectSrf(connection: SipConnection): Promise<void> {
  connection.connect();
  const deadline = Date.now() + 15000;
  while (connection.status().state !== 'up') {
    if (Date.now() > deadline) throw new Error(`drachtio-srf did not connect: ${connection.status().detail ?? 'no detail'}`);
    await sleep(100);
  }
}

/**
 * A drachtio-server and an unconnected srf for it; register the srf's
 * handlers, then `connectSrf(result.connection)`.
 */
export async function benchDrachtio(plan: DrachtioPlan, logger: Logger, prefix = 'sip-bench-drachtio-'): Promise<BenchDrachtio> {
  let admin: { host: string; port: number; secret: string };
  let sipTarget: string;
  let drachtio: RunningService | null = null;
  if (plan.binary) {
    const workDir = tempDir(prefix);
    const adminPort = await freeTcpPort();
    const sipPort = await freeTcpPort();
    drachtio = await startDrachtioServer({ binary: plan.binary, adminPort, secret: 'bench', listen: { addresses: [LOOPBACK], sipPort, wsPort: await freeTcpPort(), tls: null }, workDir, logger });
    admin = { host: LOOPBACK, port: adminPort, secret: 'bench' };
    sipTarget = `${LOOPBACK}:${sipPort}`;
  } else {
    const ext = plan.external!;
    admin = { host: ext.host, port: ext.port, secret: ext.secret };
    sipTarget = `${LOOPBACK}:${ext.sipPort}`;
  }
  const connection = new SipConnection({ ...admin, logger });
  return {
    connection,
    sipTarget,
    stop: async () => {
      connection.disconnect();
      if (drachtio) await drachtio.stop();
    },
  };
}
