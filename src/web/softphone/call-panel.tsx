import { useState } from 'preact/hooks';
import { ErrorBanner } from '../shared/components';
import { formatDuration } from '../shared/i18n';
import { useNow } from '../shared/hooks';
import { isFarFailure, type CallInfo, type FarState, type PhoneSnapshot } from './phone';
import { useT, type SoftphoneKey } from './softphone-i18n';

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

/** What the screen says of a far end that was not reached. */
const FAR_FAILURE_TEXT: Record<Extract<FarState, 'busy' | 'declined' | 'no_answer' | 'unavailable' | 'failed'>, SoftphoneKey> = {
  busy: 'farBusy', declined: 'farDeclined', no_answer: 'farNoAnswer', unavailable: 'farUnavailable', failed: 'farFailed',
};

/**
 * Who is at the other end, as the panel names them: for a call the server
 * places (click-to-call, callback) the client's name from the card, as the
 * INVITE's display name there only says what kind of call it is; otherwise
 * the INVITE's display name.
 */
export function remoteLabel(info: CallInfo, clientName: string | null): { name: string; full: string } {
  const name = info.far !== null && !info.dialled ? clientName : info.remoteName;
  const shown = name && name !== info.remoteNumber ? name : null;
  return { name: shown ?? info.remoteNumber, full: shown ? `${shown} · ${info.remoteNumber}` : info.remoteNumber };
}

/** The line on the status of a call being placed: calling, ringing, or why it failed. */
function farStatus(t: ReturnType<typeof useT>, far: FarState | null, who: string): string {
  if (isFarFailure(far)) return t(FAR_FAILURE_TEXT[far], { who });
  return far === 'ringing' ? t('callingRinging', { who }) : t('dialing', { who });
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
  /** The client's name from the card of the call on the phone (or the one that just ended), when known. */
  clientName: string | null;
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
  const [dismissed, setDismissed] = useState<string | null>(null);
  const { snapshot } = props;
  const info = snapshot.current;
  const state = snapshot.call;
  const inCall = state === 'connected' || state === 'on_hold';
  const remote = info ? remoteLabel(info, props.clientName) : null;
  const who = remote?.full ?? '';
  // The far end of the call just ended was not reached: say so until the next call, or until dismissed.
  const last = snapshot.last;
  const lastFailure = state === 'idle' && !props.placing && last && isFarFailure(last.far) && last.endedBy !== 'local' && dismissed !== last.sessionId ? last : null;
  // A refusal that is shown as the far end's failure is not also shown as an error.
  const error = info?.lastError && !isFarFailure(info.far) ? info.lastError : props.error;
  // A supervisor whispering to this agent (issue 18): their voice plays beside the caller's, and the caller does not hear it.
  const coach = snapshot.sideCalls.find((c) => c.kind === 'coach' && c.connected);

  return (
    <section class={`card sp-call sp-call-${state}`} aria-label={t('phone')}>
      <h2>{t('phone')}</h2>
      <div role="status" aria-live="polite" class="sp-call-status" data-testid="call-status">
        {state === 'idle' && !props.placing && <span class="muted">{t('noCall')}</span>}
        {state === 'idle' && props.placing && <span>{t('placing', { who: props.placing.label })}</span>}
        {state === 'ringing' && <span class="sp-ringing">{info?.direction === 'outbound' ? t('outboundRinging') : t('incomingCall')}</span>}
        {state === 'dialing' && <span>{farStatus(t, info?.far ?? null, remote?.name ?? '')}</span>}
        {state === 'answering' && <span>{t('connecting')}</span>}
        {state === 'calling_far' && (
          <span class={isFarFailure(info?.far) ? 'badge bad' : 'sp-far'} data-testid="far-status">{farStatus(t, info?.far ?? null, remote?.name ?? '')}</span>
        )}
        {state === 'connected' && <span class="badge talking">{t('inCall')}</span>}
        {state === 'on_hold' && <span class="badge wrap_up">{t('onHold')}</span>}
        {state === 'ended' && <span>{t('callEnded')}</span>}
      </div>

      {info && state !== 'idle' && (
        <div class="sp-remote">
          <div class="sp-remote-number" data-testid="remote-number">{who || t('unknownNumber')}</div>
          {info.reason && <div class="muted sp-reason">{info.reason}</div>}
          <div class="sp-timer" role="timer" aria-label={state === 'calling_far' || state === 'dialing' ? t('ringTimer') : t('callTimer')}>
            {formatDuration(now - (info.connectedAt ?? (state === 'calling_far' ? info.answeredAt : null) ?? info.ringingAt))}
          </div>
        </div>
      )}

      {state === 'ringing' && (
        <div class="sp-actions">
          <button type="button" class="ok big" onClick={props.onAnswer}>{t('answer')} <kbd>A</kbd></button>
          <button type="button" class="danger big" onClick={props.onHangUp}>{t('decline')} <kbd>E</kbd></button>
        </div>
      )}
      {(state === 'answering' || state === 'dialing' || state === 'calling_far') && (
        <div class="sp-actions">
          <button type="button" class="danger big" onClick={props.onHangUp}>{t('hangUp')} <kbd>E</kbd></button>
        </div>
      )}
      {inCall && info && (
        <>
          {coach && <div class="banner info" role="status" data-testid="coaching-notice">{t(coach.callerHears ? 'coachingJoined' : 'coaching', { who: coach.label || t('coachSomeone') })}</div>}
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

      {lastFailure && (
        <div class="banner warn" role="status" data-testid="far-failed">
          <span class="grow">{farStatus(t, lastFailure.far, remoteLabel(lastFailure, props.clientName).name)}</span>
          <button type="button" class="link" aria-label={t('dismissNotice')} onClick={() => setDismissed(lastFailure.sessionId)}>×</button>
        </div>
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
