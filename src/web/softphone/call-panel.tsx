import { useState } from 'preact/hooks';
import { ErrorBanner } from '../shared/components';
import { formatDuration } from '../shared/i18n';
import { useNow } from '../shared/hooks';
import type { PhoneSnapshot } from './phone';
import { useT } from './softphone-i18n';

export const KEYPAD_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** The keys as a phone lays them out; pressing one calls `onKey`. */
export function Keypad(props: { onKey: (key: string) => void; label: string; disabled?: boolean }): preact.JSX.Element {
  return (
    <div class="sp-keypad" role="group" aria-label={props.label}>
      {KEYPAD_KEYS.map((key) => (
        <button type="button" key={key} disabled={props.disabled} onClick={() => props.onKey(key)} aria-label={`${props.label} ${key}`}>{key}</button>
      ))}
    </div>
  );
}

/**
 * Dial pad: a number is called through the server (it rings this phone
 * first, then the number); an internal address — a colleague's SIP username,
 * `ivr-draft-<flow>` to try a draft IVR flow — is dialled by this phone itself.
 */
function DialPad(props: { disabled: boolean; onDial: (number: string) => void }): preact.JSX.Element {
  const t = useT();
  const [number, setNumber] = useState('');
  const submit = (event: Event): void => {
    event.preventDefault();
    if (number.trim()) props.onDial(number.trim());
  };
  return (
    <form class="sp-dial" onSubmit={submit} aria-label={t('dialPad')}>
      <label>
        {t('numberToCall')}
        <input type="text" name="number" value={number} autocomplete="off" autocapitalize="off" spellcheck={false} placeholder={t('dialPlaceholder')} onInput={(e) => setNumber(e.currentTarget.value)} />
      </label>
      <Keypad label={t('dialKey')} onKey={(key) => setNumber((n) => n + key)} disabled={props.disabled} />
      <div class="row">
        <button type="submit" class="ok grow" disabled={props.disabled || !number.trim()}>{t('call')}</button>
        <button type="button" aria-label={t('clearNumber')} disabled={!number} onClick={() => setNumber('')}>⌫</button>
      </div>
    </form>
  );
}

export interface PlacingCall {
  label: string;
  at: number;
  callId: string | null;
}

/** The phone: what is happening on the line and the buttons for it. */
export function CallPanel(props: {
  snapshot: PhoneSnapshot;
  phoneUsable: boolean;
  canDialOut: boolean;
  placing: PlacingCall | null;
  transferOpen: boolean;
  consultActive: boolean;
  error: string | null;
  onDismissError: () => void;
  onAnswer: () => void;
  onHangUp: () => void;
  onHold: (hold: boolean) => void;
  onMute: (mute: boolean) => void;
  onDtmf: (key: string) => void;
  onToggleTransfer: () => void;
  onDial: (number: string) => void;
  onCancelPlacing: () => void;
}): preact.JSX.Element {
  const t = useT();
  const now = useNow(500);
  const [keypadOpen, setKeypadOpen] = useState(false);
  const { snapshot } = props;
  const info = snapshot.current;
  const state = snapshot.call;
  const inCall = state === 'connected' || state === 'on_hold';
  const who = info ? info.remoteName && info.remoteName !== info.remoteNumber ? `${info.remoteName} · ${info.remoteNumber}` : info.remoteNumber : '';
  const error = info?.lastError ?? props.error;

  return (
    <section class={`card sp-call sp-call-${state}`} aria-label={t('phone')}>
      <h2>{t('phone')}</h2>
      <div role="status" aria-live="polite" class="sp-call-status" data-testid="call-status">
        {state === 'idle' && !props.placing && <span class="muted">{t('noCall')}</span>}
        {state === 'idle' && props.placing && <span>{t('placing', { who: props.placing.label })}</span>}
        {state === 'ringing' && <span class="sp-ringing">{info?.direction === 'outbound' ? t('outboundRinging') : t('incomingCall')}</span>}
        {state === 'dialing' && <span>{t('dialing', { who: info?.remoteNumber ?? '' })}</span>}
        {state === 'answering' && <span>{t('connecting')}</span>}
        {state === 'connected' && <span class="badge talking">{t('inCall')}</span>}
        {state === 'on_hold' && <span class="badge wrap_up">{t('onHold')}</span>}
        {state === 'ended' && <span>{t('callEnded')}</span>}
      </div>

      {info && state !== 'idle' && (
        <div class="sp-remote">
          <div class="sp-remote-number" data-testid="remote-number">{who || t('unknownNumber')}</div>
          {info.reason && <div class="muted sp-reason">{info.reason}</div>}
          <div class="sp-timer" role="timer" aria-label={t('callTimer')}>
            {formatDuration(now - (info.answeredAt ?? info.ringingAt))}
          </div>
        </div>
      )}

      {state === 'ringing' && (
        <div class="sp-actions">
          <button type="button" class="ok big" onClick={props.onAnswer}>{t('answer')} <kbd>A</kbd></button>
          <button type="button" class="danger big" onClick={props.onHangUp}>{t('decline')} <kbd>E</kbd></button>
        </div>
      )}
      {(state === 'answering' || state === 'dialing') && (
        <div class="sp-actions">
          <button type="button" class="danger big" onClick={props.onHangUp}>{t('hangUp')} <kbd>E</kbd></button>
        </div>
      )}
      {inCall && info && (
        <>
          {info.media === 'interrupted' && <div class="banner warn" role="alert">{t('mediaInterrupted')}</div>}
          {info.media === 'failed' && <div class="banner error" role="alert">{t('mediaFailed')}</div>}
          <div class="sp-actions grid">
            <button type="button" aria-pressed={state === 'on_hold'} disabled={info.holdPending || props.consultActive} onClick={() => props.onHold(state !== 'on_hold')}>
              {state === 'on_hold' ? t('resume') : t('hold')} <kbd>H</kbd>
            </button>
            <button type="button" aria-pressed={info.muted} onClick={() => props.onMute(!info.muted)}>
              {info.muted ? t('unmute') : t('mute')} <kbd>M</kbd>
            </button>
            <button type="button" aria-pressed={keypadOpen} aria-expanded={keypadOpen} onClick={() => setKeypadOpen((o) => !o)}>{t('keypad')}</button>
            <button type="button" aria-pressed={props.transferOpen} aria-expanded={props.transferOpen} onClick={props.onToggleTransfer} disabled={!info.callId}>{t('transfer')}</button>
          </div>
          {keypadOpen && (
            <div class="sp-dtmf">
              <Keypad label={t('sendKey')} onKey={props.onDtmf} />
              <div class="muted" aria-live="polite">{t('keysSent')}: <code data-testid="dtmf-sent">{info.dtmfSent || '—'}</code></div>
            </div>
          )}
          <button type="button" class="danger big wide" onClick={props.onHangUp}>{t('hangUp')} <kbd>E</kbd></button>
        </>
      )}

      {state === 'idle' && props.placing && (
        <button type="button" class="link" onClick={props.onCancelPlacing}>{t('cancelPlacing')}</button>
      )}
      {state === 'idle' && !props.placing && <DialPad disabled={!props.phoneUsable} onDial={props.onDial} />}
      {state === 'idle' && !props.canDialOut && <p class="muted">{t('noDialOut')}</p>}

      {error && <ErrorBanner error={error} onDismiss={props.onDismissError} />}
    </section>
  );
}
