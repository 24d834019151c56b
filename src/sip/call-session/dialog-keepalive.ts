import type { Logger } from '../../logger';
import type { SrfRequest } from '../srf-types';
import type { Dialog } from './inbound-context';

/**
 * What the answer to an in-dialog OPTIONS says of the dialog (RFC 5057 §5.1):
 * 481 (no such dialog) or 408 (no answer), or nothing at all in time, and the
 * far end has lost the call — its BYE went missing, it crashed, its network
 * went away. A 503 is what our own SIP stack answers when the far end's
 * address is unreachable (ICMP port unreachable: the phone's process is gone),
 * and cannot be told from a busy peer's own 503, so it counts only when it
 * repeats (`previous503`). Any other answer, even a refusal such as 405,
 * comes from a party that still holds the dialog.
 */
export function dialogGone(answer: { status: number } | 'no-answer', previous503 = false): boolean {
  if (answer === 'no-answer') return true;
  return answer.status === 481 || answer.status === 408 || (answer.status === 503 && previous503);
}

export interface DialogKeepaliveOptions {
  /** Between probes of one leg; 0 turns probing off. */
  intervalMs: number;
  /** How long a probe waits for its answer. */
  answerTimeoutMs: number;
  log: Logger;
  /** A leg's dialog is gone: the call ends with the reason. */
  onGone: (leg: string, why: string) => void;
}

/**
 * Dead-call detection (issue 14) for peers without session timers (RFC 4028;
 * drachtio-srf offers none): each leg of a live call is asked OPTIONS inside
 * its dialog every interval, and a leg whose far end no longer knows the call
 * ends it — a lost BYE no longer keeps an agent on a dead line until the
 * longest call allowed.
 */
export class DialogKeepalive {
  /** Each watched leg's dialog and its probe timer (null with periodic probing off: probeAll still reaches it). */
  private readonly watched = new Map<string, { dialog: Dialog; timer: NodeJS.Timeout | null }>();
  /** Legs whose last probe was answered 503 (see dialogGone). */
  private readonly answered503 = new Set<string>();

  constructor(private readonly options: DialogKeepaliveOptions) {}

  /** Probes `dialog` as `leg` from now on (a leg watched before is replaced: a transfer swapped the agent). */
  watch(leg: string, dialog: Dialog): void {
    this.unwatch(leg);
    let timer: NodeJS.Timeout | null = null;
    if (this.options.intervalMs > 0) {
      timer = setInterval(() => void this.probe(leg, dialog), this.options.intervalMs);
      timer.unref();
    }
    this.watched.set(leg, { dialog, timer });
  }

  unwatch(leg: string): void {
    this.answered503.delete(leg);
    const watched = this.watched.get(leg);
    if (watched?.timer) clearInterval(watched.timer);
    this.watched.delete(leg);
  }

  /**
   * Probes every watched leg now, whatever the interval: after drachtio-server
   * came back (issue 14) a dialog it no longer knows cannot carry a request,
   * and the call ends with the reason instead of holding its agent.
   */
  probeAll(): void {
    for (const [leg, { dialog }] of [...this.watched]) void this.probe(leg, dialog);
  }

  stop(): void {
    for (const leg of [...this.watched.keys()]) this.unwatch(leg);
  }

  private async probe(leg: string, dialog: Dialog): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let answer: { status: number } | 'no-answer';
    let unsendable: string | null = null;
    try {
      // The bundled types declare request()'s options as SrfRequest; drachtio-srf takes a plain options object.
      const sent = dialog.request({ method: 'OPTIONS' } as unknown as SrfRequest) as Promise<{ status: number }>;
      answer = await Promise.race([sent, new Promise<'no-answer'>((resolve) => (timer = setTimeout(() => resolve('no-answer'), this.options.answerTimeoutMs)))]);
    } catch (err) {
      // A request drachtio could not send at all (the dialog is gone on our side, or drachtio-server restarted and
      // lost it): the leg has ended.
      answer = { status: 481 };
      unsendable = (err as Error).message;
      this.options.log.debug({ err: unsendable, leg }, 'in-dialog OPTIONS could not be sent');
    } finally {
      clearTimeout(timer);
    }
    this.options.log.debug({ leg, answer: answer === 'no-answer' ? answer : answer.status }, 'in-dialog OPTIONS answered');
    const gone = dialogGone(answer, this.answered503.has(leg));
    if (answer !== 'no-answer' && answer.status === 503) this.answered503.add(leg);
    else this.answered503.delete(leg);
    if (!this.watched.has(leg) || !gone) return;
    this.unwatch(leg);
    const why = unsendable !== null
      ? `could not be sent: ${unsendable}`
      : answer === 'no-answer' ? `no answer within ${this.options.answerTimeoutMs} ms` : `${answer.status}`;
    this.options.log.warn({ leg, why }, 'a leg no longer holds the call: ending it');
    this.options.onGone(leg, why);
  }
}
