import type { Acd } from '../acd';
import type { Logger } from '../logger';
import type { PresenceListener } from './registration-store';

/**
 * Keeps the ACD's pool to people whose phones can ring: when a person's last
 * registered device goes away (unregistered, or expired without a refresh —
 * a closed softphone tab, an unplugged desk phone) while they are Ready, they
 * become Not ready (unreachable). They set themselves Ready again once a
 * phone is back. Returns the unsubscribe function (call it in a `finally`).
 */
export function followPhonePresence(registrar: { onPresence(listener: PresenceListener): () => void }, acd: Pick<Acd, 'markUnreachable'>, logger: Logger): () => void {
  return registrar.onPresence((event) => {
    if (event.type !== 'staff-offline') return;
    acd.markUnreachable(String(event.staffId), `registrar:${event.reason}`)
      .then((taken) => { if (taken) logger.info({ staffId: event.staffId, reason: event.reason }, 'phone gone: agent not ready (unreachable)'); })
      .catch((err: unknown) => logger.warn({ err, staffId: event.staffId }, 'could not take an agent without a phone out of the pool'));
  });
}
