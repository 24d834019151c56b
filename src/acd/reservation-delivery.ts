import type Redis from 'ioredis';
import type { Logger } from '../logger';
import type { Reservation, ReservationListener } from './acd';
import { numberOr, stringOr } from './lua-reply';

/** A reservation as the script (or another process) hands it over; null for anything that is not one. */
export function parseReservation(value: unknown): Reservation | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const callId = stringOr(r.callId, null);
  const agentId = stringOr(r.agentId, null);
  const queueId = stringOr(r.queueId, null);
  if (!callId || !agentId || !queueId) return null;
  const reservation: Reservation = {
    callId,
    agentId,
    queueId,
    kind: r.kind === 'callback' ? 'callback' : 'call',
    owner: stringOr(r.owner, ''),
    holder: stringOr(r.holder, ''),
    deadline: numberOr(r.deadline, 0),
    ringMs: numberOr(r.ringMs, 0),
  };
  const number = stringOr(r.callbackNumber, '');
  if (number) reservation.callbackNumber = number;
  const meta = r.meta;
  if (typeof meta === 'string' && meta !== '') reservation.meta = JSON.parse(meta) as Record<string, unknown>;
  else if (typeof meta === 'object' && meta !== null) reservation.meta = meta as Record<string, unknown>;
  return reservation;
}

/**
 * Gets each reservation to the process that must ring for it (issue 14). A
 * script run matches a caller with an agent in whichever process ran it — an
 * agent set ready through it, its housekeeping — but only the process holding
 * the caller's leg (the call's owner, the reservation's holder) can ring the
 * agent and bridge them. The run's process keeps its own reservations and
 * publishes the others on the holder's channel (`<prefix>deliver:<node>`,
 * keys.ts); each process listens on its own once started. A reservation lost
 * on the way (Redis away, the holder gone) expires and is matched again.
 */
export class ReservationDelivery {
  private readonly listeners = new Set<ReservationListener>();
  private subscriber: Redis | null = null;

  constructor(private readonly options: { redis: Redis; prefix: string; nodeId: string; logger: Logger | undefined }) {}

  listen(listener: ReservationListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Of a run's reservations: hands over those another process holds, tells this process's listeners of the rest and returns them. */
  route(reservations: readonly Reservation[]): Reservation[] {
    const mine: Reservation[] = [];
    for (const reservation of reservations) {
      if (reservation.holder === '' || reservation.holder === this.options.nodeId) mine.push(reservation);
      else this.forward(reservation);
    }
    for (const reservation of mine) this.deliver(reservation);
    return mine;
  }

  /** Listens for the reservations other processes make for this process's callers. */
  async start(): Promise<void> {
    if (this.subscriber) return;
    const subscriber = this.options.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, message: string) => this.received(message));
    await subscriber.subscribe(this.channel(this.options.nodeId));
    this.subscriber = subscriber;
  }

  stop(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  private channel(nodeId: string): string {
    return `${this.options.prefix}deliver:${nodeId}`;
  }

  private forward(reservation: Reservation): void {
    this.options.redis.publish(this.channel(reservation.holder), JSON.stringify(reservation)).catch((err: unknown) => {
      this.options.logger?.warn({ err, callId: reservation.callId, holder: reservation.holder }, 'could not hand a reservation to the process holding the caller; it expires and is matched again');
    });
  }

  private received(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      parsed = null;
    }
    const reservation = parseReservation(parsed);
    if (!reservation || reservation.holder !== this.options.nodeId) {
      this.options.logger?.error({ message }, 'unreadable reservation handed over by another process; it expires and is matched again');
      return;
    }
    this.deliver(reservation);
  }

  private deliver(reservation: Reservation): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(reservation);
      } catch (err) {
        this.options.logger?.error({ err, callId: reservation.callId }, 'reservation listener failed');
      }
    }
  }
}
