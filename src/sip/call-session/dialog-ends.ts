import type Srf from 'drachtio-srf';
import type { Logger } from '../../logger';
import type { LegKind } from '../../media/media-leg';
import type { ContactBinding } from '../registration-store';

/** The tag parameter of a From or To header value (RFC 3261 §19.3); null when there is none. */
export function tagOf(header: string | undefined): string | null {
  return header ? /;\s*tag=([^;>\s]+)/i.exec(header)?.[1] ?? null : null;
}

/** How media is set up toward a registered device: browsers (WebSocket contacts) get WebRTC, the rest plain RTP. */
export function legKindOf(contact: Pick<ContactBinding, 'transport'>): LegKind {
  return contact.transport === 'ws' || contact.transport === 'wss' ? 'webrtc' : 'sip';
}

/**
 * Sends BYE on a dialog (RFC 3261 §15). The callback form, because the
 * promise form rejects when the other side's BYE crossed ours (ENODIALOG):
 * unhandled, that would end the whole process, not just this call.
 */
export function hangUpDialog(dialog: Srf.Dialog | null | undefined, log: Logger): void {
  if (!dialog) return;
  dialog.destroy(undefined, (err: unknown) => {
    if (err) log.debug({ err: (err as Error).message }, 'BYE not needed: the dialog had already ended');
  });
}
