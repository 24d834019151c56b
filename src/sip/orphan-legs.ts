import type { Logger } from '../logger';
import type { SrfApp } from './srf-types';

/** drachtio-srf's request() as it is at run time for an in-dialog request named by dialog id (lib/drachtio-agent.js). */
type DialogRequester = (uri: string, opts: { method: string; stackDialogId: string; headers?: Record<string, string> }) => Promise<{ on(event: 'response', cb: (res: { status: number }) => void): void }>;

/**
 * Sends a BYE on a leg of a call whose process died (issue 14). drachtio-server
 * keeps a dialog after the app that made it disconnects, and takes an
 * in-dialog request for it from any connected app by its dialog id (the
 * `sip|<txn>|<dialogId>` command, lib/drachtio-agent.js _makeRequest): so a
 * survivor hangs up the caller and the agent instead of leaving them in
 * silence until they give up. Resolves with the final status, or null when
 * nothing answered within `timeoutMs` (the leg's device is gone too); never
 * throws.
 */
export async function hangUpOrphanLeg(srf: SrfApp, dialogId: string, log: Logger, timeoutMs = 5_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const request = (srf as unknown as { request: DialogRequester }).request.bind(srf);
    // The request-URI is a placeholder: drachtio-server sends an in-dialog request to the dialog's remote target.
    const sent = await request('sip:placeholder', { method: 'BYE', stackDialogId: dialogId, headers: { Reason: 'Q.850;cause=41;text="the server handling the call stopped"' } });
    return await new Promise<number | null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
      sent.on('response', (res) => resolve(res.status));
    });
  } catch (err) {
    log.debug({ err: (err as Error).message, dialogId }, 'BYE on an orphaned leg could not be sent (the dialog is gone)');
    return null;
  } finally {
    clearTimeout(timer);
  }
}
