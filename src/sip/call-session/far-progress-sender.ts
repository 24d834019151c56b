import type { Logger } from '../../logger';
import { FAR_PROGRESS_CONTENT_TYPE, farProgressBody, type FarProgress } from '../far-progress';
import type { SrfRequest } from '../srf-types';
import type { Dialog } from './inbound-context';

/** Longest a far-progress INFO to the staff's phone may hold the call up (a phone that does not answer it). */
const PROGRESS_WAIT_MS = 2000;

/**
 * Tells a staff softphone how the far end of its outbound call does, as SIP
 * INFO on its leg (far-progress.ts), one after the other. Only a browser is
 * told: a desk phone would answer an INFO it does not know with 415 at best.
 * Sending never rejects; each INFO is done once answered, or after
 * PROGRESS_WAIT_MS.
 */
export class FarProgressSender {
  private sent: Promise<void> = Promise.resolve();

  constructor(private readonly log: Logger) {}

  /** Sends `progress` after those before it; resolves once it is answered or given up. */
  tell(dialog: Dialog | null, toBrowser: boolean, progress: FarProgress): Promise<void> {
    if (!dialog || !toBrowser) return this.sent;
    const send = async (): Promise<void> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        // The bundled types declare request()'s options as SrfRequest; drachtio-srf takes a plain options object.
        const request = dialog.request({ method: 'INFO', headers: { 'Content-Type': FAR_PROGRESS_CONTENT_TYPE }, body: farProgressBody(progress) } as unknown as SrfRequest);
        const answered = await Promise.race([request, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PROGRESS_WAIT_MS)))]);
        if (!answered) this.log.debug({ progress }, 'the staff phone did not answer the far-progress INFO in time');
        else if (answered.status >= 300) this.log.debug({ progress, status: answered.status }, 'the staff phone refused the far-progress INFO');
      } catch (err) {
        this.log.debug({ err: (err as Error).message, progress }, 'far-progress INFO not sent');
      } finally {
        clearTimeout(timer);
      }
    };
    this.sent = this.sent.then(send);
    return this.sent;
  }

  /** Resolves when every INFO sent so far is done (answered or given up). */
  drained(): Promise<void> {
    return this.sent;
  }
}
