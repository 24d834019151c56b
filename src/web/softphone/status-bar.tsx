import { LanguageSwitch, SignOutButton } from '../shared/components';
import type { LiveSocketStatus } from '../shared/live-socket';
import type { RegistrationState } from './phone';
import { roleLabel, useT } from './softphone-i18n';

/** Connection to the server (event socket) and the phone's registration, always in view. */
export function StatusBar(props: {
  staffName: string;
  role: string;
  events: { status: LiveSocketStatus; attempt: number };
  registration: RegistrationState | 'none';
  registrationAttempt: number;
  onSettings: () => void;
  onHelp: () => void;
  onSignedOut: () => void;
}): preact.JSX.Element {
  const t = useT();
  const eventsClass = props.events.status === 'open' ? 'ok' : props.events.status === 'closed' ? 'bad' : 'warn';
  const eventsText = props.events.status === 'open'
    ? t('serverLive')
    : props.events.status === 'reconnecting' ? t('serverReconnecting', { n: props.events.attempt }) : props.events.status === 'closed' ? t('serverClosed') : t('serverConnecting');
  const reg = props.registration;
  const regClass = reg === 'registered' ? 'ok' : reg === 'rejected' || reg === 'offline' || reg === 'none' ? 'bad' : 'warn';
  const regText = {
    none: t('phoneNone'), offline: t('phoneOffline'), stopped: t('phoneStopped'), connecting: t('phoneConnecting'), registering: t('phoneRegistering'),
    registered: t('phoneRegistered'), reconnecting: t('phoneReconnecting', { n: props.registrationAttempt }), rejected: t('phoneRejected'),
  }[reg];
  return (
    <header class="topbar sp-topbar">
      <span class="brand">Switchboard</span>
      <span class="sp-who" aria-label={t('signedInAs')}>{props.staffName} <span class="muted-inv">· {roleLabel(t, props.role)}</span></span>
      <span class="spacer" />
      <span class={`sp-conn ${eventsClass}`} role="status" aria-label={t('serverConnection')} data-testid="server-status">
        <span class="dot" aria-hidden="true" />{eventsText}
      </span>
      <span class={`sp-conn ${regClass}`} role="status" aria-label={t('phoneConnection')} data-testid="phone-status">
        <span class="dot" aria-hidden="true" />{regText}
      </span>
      <button type="button" onClick={props.onSettings} aria-label={t('settings')} title={t('settings')}>⚙</button>
      <button type="button" onClick={props.onHelp} aria-label={t('shortcutsHelp')} title={t('shortcutsHelp')}>?</button>
      <LanguageSwitch />
      <SignOutButton onSignedOut={props.onSignedOut} />
    </header>
  );
}
