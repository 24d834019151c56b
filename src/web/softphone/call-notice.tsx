import { useLocale } from '../shared/i18n';
import type { OutboundCallPlaced } from '../../api/schemas/call-schemas';
import { describeOutsideWindow } from './calling-window-notice';
import { useT } from './softphone-i18n';

/** What the server said about a call it placed for this person (the list overridden, outside the client's calling window). */
export type PlacedCallNotice = Pick<OutboundCallPlaced, 'notice' | 'outsideWindow'>;

/**
 * The dismissable banner with what the server said about the call placed:
 * outside the client's calling window in the softphone's language with the
 * client's local time (re-read at each render, so "now" keeps up); otherwise
 * the server's words.
 */
export function CallNotice(props: { placed: PlacedCallNotice; onDismiss: () => void }): preact.JSX.Element {
  const t = useT();
  const locale = useLocale();
  const { outsideWindow, notice } = props.placed;
  const text = outsideWindow
    ? describeOutsideWindow(outsideWindow, { now: new Date(), locale, viewerTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone })
    : notice;
  return (
    <div class="banner warn" role="status" data-testid="call-notice">
      <span>{text}</span>
      <button type="button" class="link" onClick={props.onDismiss}>{t('dismissNotice')}</button>
    </div>
  );
}
