import { farFailureOf, type FarFailure } from './far-progress';
import type { SrfRequest } from './srf-types';

/** One device rung in parallel with others (RFC 3261 §16.7-style forking, done by us as a UAC per device). */
export interface RingBranch<T> {
  /** Sends the INVITE; `sent` receives it as soon as it is out, so that it can be CANCELled. */
  invite(sent: (req: SrfRequest) => void): Promise<T>;
  /** Releases an answer that came after another branch won (ACK + BYE). */
  discard(answer: T): void;
}

/** Why nobody answered. */
export type RingFailure =
  | { kind: 'no-answer' }
  | { kind: 'stopped' }
  /** Every branch refused; `status` is the most telling final response (486 before 480 before 487…). */
  | { kind: 'refused'; status: number | null; message: string };

/** Thrown by ringFirst when no branch answered. */
export class RingFailed extends Error {
  override readonly name = 'RingFailed';
  constructor(readonly failure: RingFailure) {
    super(failure.kind === 'refused' ? `refused: ${failure.status ?? failure.message}` : failure.kind);
  }

  /** A short reason for call records and logs. */
  get reason(): string {
    const f = this.failure;
    if (f.kind === 'refused') return f.status ? String(f.status) : f.message;
    return f.kind;
  }
}

/** How telling a final status is when several branches failed: a busy device says more than a cancelled one. */
function weight(status: number | null): number {
  if (status === null) return 0;
  if (status === 487) return 1;
  if (status === 486 || status === 600) return 4;
  if (status === 603) return 3;
  return 2;
}

function statusOf(err: unknown): number | null {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

/**
 * Rings every branch at once; the first to answer wins and the others are
 * CANCELled (RFC 3261 §9.1); an answer arriving after that is discarded.
 * After `timeoutMs`, or when `stop` settles, every branch is CANCELled.
 *
 * @throws RingFailed when nobody answered.
 */
export function ringFirst<T>(branches: ReadonlyArray<RingBranch<T>>, options: { timeoutMs: number; stop: Promise<unknown> }): Promise<{ answer: T; index: number }> {
  if (branches.length === 0) return Promise.reject(new RingFailed({ kind: 'refused', status: null, message: 'no device to ring' }));
  return new Promise((resolve, reject) => {
    const requests: Array<SrfRequest | null> = branches.map(() => null);
    let settled = false;
    let winner = -1;
    let ending: 'no-answer' | 'stopped' | null = null;
    let pending = branches.length;
    let best: { status: number | null; message: string } | null = null;
    const cancel = (req: SrfRequest | null): void => {
      req?.cancel(() => undefined);
    };
    const cancelAll = (): void => {
      requests.forEach((req, i) => {
        if (i !== winner) cancel(req);
      });
    };
    const timer = setTimeout(() => {
      if (settled) return;
      ending = 'no-answer';
      cancelAll();
    }, options.timeoutMs);
    options.stop.then(
      () => {
        if (settled || ending) return;
        ending = 'stopped';
        cancelAll();
      },
      () => undefined,
    );
    branches.forEach((branch, index) => {
      branch
        .invite((req) => {
          requests[index] = req;
          // The ring ended while this INVITE was being sent.
          if (ending || (settled && winner !== index)) cancel(req);
        })
        .then(
          (answer) => {
            if (settled || ending) {
              branch.discard(answer);
              return;
            }
            settled = true;
            winner = index;
            clearTimeout(timer);
            cancelAll();
            resolve({ answer, index });
          },
          (err: unknown) => {
            pending -= 1;
            const status = statusOf(err);
            if (best === null || weight(status) > weight(best.status)) best = { status, message: (err as Error)?.message ?? String(err) };
            if (settled || pending > 0) return;
            settled = true;
            clearTimeout(timer);
            if (ending) reject(new RingFailed({ kind: ending }));
            else reject(new RingFailed({ kind: 'refused', status: best.status, message: best.message }));
          },
        );
    });
  });
}

/**
 * Ringing the far end failed (`err` from ringFirst): why, in words for the
 * log and the record; the status for a device whose own INVITE waits on it
 * (the far end's refusal, else 480 — a far 487 is not the device's CANCEL);
 * and what the staff's softphone is told.
 */
export function farRingFailure(err: unknown): { reason: string; deviceStatus: number; far: { outcome: FarFailure; status: number | null } } {
  if (!(err instanceof RingFailed)) return { reason: err instanceof Error ? err.message : String(err), deviceStatus: 480, far: { outcome: 'failed', status: null } };
  const refused = err.failure.kind === 'refused' && err.failure.status ? err.failure.status : 480;
  return { reason: err.reason, deviceStatus: refused === 487 ? 480 : refused, far: farFailureOf(err.failure) };
}
