import type { ComponentStatus } from '../platform/component-status';
import type { Logger } from '../logger';
import { createSrf } from './srf-types';

export interface SipConnectionOptions {
  host: string;
  port: number;
  secret: string;
  logger: Logger;
}

/**
 * The app's link to drachtio-server. drachtio-srf reconnects by itself after a
 * drop; this keeps the current state for /readyz and the logs.
 */
export class SipConnection {
  readonly srf = createSrf();
  private state: 'connecting' | 'up' | 'down' = 'connecting';
  private detail = '';
  /** Whether a connection was ever up: a later connect is a reconnect. */
  private everUp = false;
  private readonly reconnectListeners = new Set<() => void>();

  constructor(private readonly options: SipConnectionOptions) {
    this.srf.on('connect', (err, hostPort) => {
      if (err) {
        this.state = 'down';
        this.detail = err.message;
        return;
      }
      const reconnected = this.everUp;
      this.everUp = true;
      this.state = 'up';
      this.detail = `listening on ${hostPort}`;
      options.logger.info({ hostPort, reconnected }, 'connected to drachtio-server');
      if (reconnected) {
        for (const listener of [...this.reconnectListeners]) {
          try {
            listener();
          } catch (err) {
            options.logger.error({ err }, 'a drachtio reconnect listener failed');
          }
        }
      }
    });
    this.srf.on('error', (err) => {
      if (this.state === 'up') options.logger.warn({ err: err.message }, 'drachtio connection lost; reconnecting');
      this.state = 'down';
      this.detail = err.message;
    });
    this.srf.on('disconnect', () => {
      this.state = 'down';
      this.detail = 'disconnected';
    });
    // RFC 3261 §11: OPTIONS is how trunks and monitors check that we are alive.
    this.srf.options((_req, res) => {
      res.send(200, { headers: { Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, REGISTER, UPDATE', Accept: 'application/sdp' } });
    });
  }

  /**
   * Tells `listener` each time the connection comes back after a drop (not
   * the first connect): drachtio-server may have restarted and lost every
   * dialog. Returns the remover.
   */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => {
      this.reconnectListeners.delete(listener);
    };
  }

  connect(): void {
    this.srf.connect({ host: this.options.host, port: this.options.port, secret: this.options.secret });
  }

  status(): ComponentStatus {
    return { name: 'sip', state: this.state === 'up' ? 'up' : 'down', required: false, ...(this.detail ? { detail: this.detail } : {}) };
  }

  disconnect(): void {
    this.srf.disconnect();
  }
}
