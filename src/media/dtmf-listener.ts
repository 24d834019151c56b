import dgram from 'node:dgram';
import type { Logger } from '../logger';
import { DtmfDeduplicator } from './dtmf-deduplicator';
import type { DtmfEvent } from './dtmf-event';
import { parseRtpengineDtmfLog } from './dtmf-log-parser';
import { parseSipInfoDtmf, type SipInfoRejection } from './sip-info-dtmf';

/**
 * The one entry point for key presses: rtpengine's DTMF log socket (RFC 4733
 * events, design §7) and SIP INFO bodies handed over by the SIP layer. Both
 * are deduplicated together and delivered to the subscriber of the call.
 */

/** Receives the digits of one call. */
export type DtmfHandler = (event: DtmfEvent) => void;

/**
 * Carries digits between the processes sharing rtpengine's DTMF log port
 * (DtmfRelayFeed over Redis; issue 14). Shaped like ChangeFeed: `publish`
 * never rejects, `subscribe` hands over each relayed digit (null for a
 * message that is not one).
 */
export interface DtmfRelay {
  publish(event: DtmfEvent): Promise<void>;
  subscribe(onEvent: (event: DtmfEvent | null) => void): Promise<void>;
  close(): void;
}

/** Options of DtmfListener.start. */
export interface DtmfListenerOptions {
  /** The UDP port rtpengine's `--dtmf-log-dest` names; 0 picks a free one. */
  port: number;
  /** Default 127.0.0.1: rtpengine runs beside us; the socket must not take datagrams from the network at large. */
  host?: string;
  /**
   * Share the port with the other Switchboard processes of this host: the
   * socket is bound with SO_REUSEADDR, and a digit for a call this process
   * does not hold goes to the others through the relay. Linux hands each
   * unicast datagram to one socket bound to the port (the latest bound) and,
   * once that one closes or its process dies, to the next; so some process
   * always gets the digits as long as one lives. Without a relay the bind is
   * exclusive, as the one process then needs every datagram itself.
   */
  relay?: DtmfRelay;
  /** See DtmfDeduplicatorOptions.windowMs. */
  dedupeWindowMs?: number;
  /** ms since the epoch; injected by tests. Default Date.now. */
  clock?: () => number;
  logger?: Logger;
}

/** The outcome of handing a SIP INFO body over. */
export type SipInfoOutcome =
  | { result: 'delivered'; event: DtmfEvent }
  /** A second report of a press already delivered (answer 200 all the same). */
  | { result: 'duplicate'; event: DtmfEvent }
  /** No subscriber for the call (answer 481 or 200 as the SIP layer sees fit). */
  | { result: 'unrouted'; event: DtmfEvent }
  /** Not a DTMF body: `unsupported-type` → 415, `malformed` → 400. */
  | { result: 'rejected'; rejection: SipInfoRejection };

/** Counters for metrics and leak checks. */
export interface DtmfListenerStats {
  delivered: number;
  duplicates: number;
  /** Digits reaching this process for a call it does not hold; with a relay, these are the ones handed to the other processes. */
  unrouted: number;
  unparsable: number;
}

/** Listens on rtpengine's DTMF log socket and routes digits to per-call subscribers. */
export class DtmfListener {
  private readonly handlers = new Map<string, DtmfHandler>();
  private readonly dedupe: DtmfDeduplicator;
  private readonly clock: () => number;
  private readonly counters: DtmfListenerStats = { delivered: 0, duplicates: 0, unrouted: 0, unparsable: 0 };
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    options: DtmfListenerOptions,
    private readonly logger: Logger | undefined,
    private readonly relay: DtmfRelay | undefined,
  ) {
    this.clock = options.clock ?? Date.now;
    this.dedupe = new DtmfDeduplicator({ now: this.clock, ...(options.dedupeWindowMs !== undefined ? { windowMs: options.dedupeWindowMs } : {}) });
    socket.on('message', (message) => this.onDatagram(message));
    // A socket error after bind (rare on UDP) must not crash the process; it is logged and the socket stays open.
    socket.on('error', (err) => this.logger?.error({ err }, 'DTMF log socket error'));
  }

  /** Binds the socket (and subscribes to the relay); the listener is live when this resolves. */
  static async start(options: DtmfListenerOptions): Promise<DtmfListener> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: options.relay !== undefined });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(options.port, options.host ?? '127.0.0.1', () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      socket.close();
      throw err;
    }
    const listener = new DtmfListener(socket, options, options.logger, options.relay);
    try {
      await options.relay?.subscribe((event) => {
        if (event) listener.acceptRelayed(event);
      });
    } catch (err) {
      await listener.close();
      throw err;
    }
    return listener;
  }

  /** The bound port (useful with port 0). */
  get port(): number {
    return this.socket.address().port;
  }

  get stats(): Readonly<DtmfListenerStats> {
    return { ...this.counters };
  }

  /** Calls with a subscriber; for leak checks. */
  get subscriptions(): number {
    return this.handlers.size;
  }

  /**
   * Delivers the digits of `callId` to `handler` until the returned function
   * is called (in the call's `finally`). One subscriber per call: a second
   * subscription replaces the first.
   */
  subscribe(callId: string, handler: DtmfHandler): () => void {
    this.handlers.set(callId, handler);
    return () => {
      if (this.handlers.get(callId) === handler) {
        this.handlers.delete(callId);
        this.dedupe.forget(callId);
      }
    };
  }

  /**
   * A SIP INFO request's body (RFC 6086), from the leg tagged `sourceTag`.
   * The SIP layer answers the INFO according to the outcome.
   */
  acceptSipInfo(callId: string, sourceTag: string, contentType: string, body: string): SipInfoOutcome {
    const parsed = parseSipInfoDtmf(contentType, body);
    if ('error' in parsed) return { result: 'rejected', rejection: parsed };
    const event: DtmfEvent = {
      callId, digit: parsed.digit, sourceTag, at: this.clock(), source: 'sip-info',
      ...(parsed.durationMs !== undefined ? { durationMs: parsed.durationMs } : {}),
    };
    return { result: this.route(event), event };
  }

  /**
   * A digit another process took off the shared port and relayed: delivered
   * when one of this process's calls holds it, else dropped quietly (most
   * relayed digits are other processes' business, so they are not counted as
   * unrouted, and never relayed again).
   */
  acceptRelayed(event: DtmfEvent): 'delivered' | 'duplicate' | 'not-held' {
    const handler = this.handlers.get(event.callId);
    return handler ? this.deliver(handler, event) : 'not-held';
  }

  /** Stops listening. Subscribers are dropped; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.relay?.close();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private onDatagram(message: Buffer): void {
    const report = parseRtpengineDtmfLog(message);
    if ('error' in report) {
      this.counters.unparsable++;
      this.logger?.warn({ reason: report.error, datagram: message.toString('utf8').slice(0, 200) }, 'unreadable DTMF log datagram');
      return;
    }
    const event: DtmfEvent = { callId: report.callId, digit: report.digit, sourceTag: report.sourceTag, at: this.clock(), source: 'rfc4733', durationMs: report.durationMs };
    // Only the socket's own datagrams are relayed: a SIP INFO reaches the process holding the dialog already.
    if (this.route(event) === 'unrouted' && this.relay) {
      // A relay that breaks its no-reject promise must still not take the process down with an unhandled rejection.
      this.relay.publish(event).catch((err: unknown) => this.logger?.warn({ err, callId: event.callId }, 'could not relay a DTMF digit'));
    }
  }

  private route(event: DtmfEvent): 'delivered' | 'duplicate' | 'unrouted' {
    const handler = this.handlers.get(event.callId);
    if (!handler) {
      this.counters.unrouted++;
      return 'unrouted';
    }
    return this.deliver(handler, event);
  }

  private deliver(handler: DtmfHandler, event: DtmfEvent): 'delivered' | 'duplicate' {
    if (!this.dedupe.accept(event)) {
      this.counters.duplicates++;
      this.logger?.debug({ callId: event.callId, digit: event.digit, source: event.source }, 'duplicate DTMF suppressed');
      return 'duplicate';
    }
    this.counters.delivered++;
    try {
      handler(event);
    } catch (err) {
      // One call's faulty handler must not stop digits for every other call.
      this.logger?.error({ err, callId: event.callId }, 'DTMF handler threw');
    }
    return 'delivered';
  }
}
