import Redis from 'ioredis';
import type { SentinelAddress } from '../config/sentinel-address';

/** What Sentinel publishes once it has promoted a replica: `<name> <old ip> <old port> <new ip> <new port>`. */
const SWITCH_MASTER = '+switch-master';

/** The same address, written as a socket reports it (`::ffff:10.0.0.5`) or as Sentinel does (`10.0.0.5`). */
function sameHost(a: string, b: string): boolean {
  const plain = (host: string): string => host.replace(/^::ffff:/i, '').toLowerCase();
  return plain(a) === plain(b);
}

/**
 * The sentinels' word that the primary moved, for the clients of one
 * Sentinel setup in this process. A connection to a primary that hangs, or
 * that the network cuts off, stays open and answers nothing — no error, no
 * close, no command timeout — so ioredis would wait on it for ever. Told by
 * +switch-master, every connected client not on the new primary drops its
 * connection and reconnects, asking the sentinels again; commands it had
 * sent are sent again there.
 *
 * Only clients in the `ready` state are touched. ioredis's own
 * `failoverDetector` drops a connection on any +switch-master, also while it
 * is reconnecting: when the message comes during its query of a sentinel,
 * connect() rejects and ioredis ends the client for good (ioredis 5.11,
 * SentinelConnector.connect after resolve()). After a crash, clients usually
 * reconnect before the message (a sentinel names the promoted replica during
 * the failover already); then there is nothing to do here.
 *
 * Listens (one connection per sentinel) only while one of its clients has
 * connected and not ended, so that a process that closes its clients closes
 * these too.
 */
export class PrimaryWatch {
  private readonly clients = new Set<Redis>();
  private listeners: Redis[] = [];

  constructor(
    private readonly sentinels: readonly SentinelAddress[],
    private readonly name: string,
    private readonly sentinelPassword: string | null,
  ) {}

  /** Watches `client` whenever it is connected, until it ends. */
  add(client: Redis): void {
    client.on('ready', () => {
      this.clients.add(client);
      this.listen();
    });
    client.on('end', () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.close();
    });
  }

  /** A +switch-master message: reconnect every connected client that is not on the new primary. */
  switched(message: string): void {
    const [name, , , newHost = '', newPort = ''] = message.split(' ');
    if (name !== this.name) return;
    for (const client of this.clients) {
      if (client.status !== 'ready') continue;
      const stream = client.stream as { remoteAddress?: string; remotePort?: number } | undefined;
      const onNewPrimary = stream?.remotePort === Number(newPort) && sameHost(stream.remoteAddress ?? '', newHost);
      if (!onNewPrimary) client.disconnect(true);
    }
  }

  private listen(): void {
    if (this.listeners.length > 0) return;
    this.listeners = this.sentinels.map((address) => {
      const listener = new Redis({
        host: address.host, port: address.port,
        ...(this.sentinelPassword !== null ? { password: this.sentinelPassword } : {}),
        // A sentinel that is down is asked again every second; the others still speak meanwhile.
        retryStrategy: () => 1000, maxRetriesPerRequest: null, enableReadyCheck: false,
      });
      listener.on('error', () => undefined);
      listener.on('message', (channel: string, message: string) => {
        if (channel === SWITCH_MASTER) this.switched(message);
      });
      listener.subscribe(SWITCH_MASTER).catch(() => undefined);
      return listener;
    });
  }

  private close(): void {
    for (const listener of this.listeners) listener.disconnect();
    this.listeners = [];
  }
}
