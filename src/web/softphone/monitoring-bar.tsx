import { ErrorBanner } from '../shared/components';
import { useMonitorModes } from './monitor-modes';
import { agentSideOf, monitorVoiceOf, type MonitorInfo, type MonitorMode, type MonitorVoice } from './monitoring-call';
import type { SideCallView } from './side-calls';
import { useT, type SoftphoneKey } from './softphone-i18n';

const MODE_LABEL: Record<MonitorMode, SoftphoneKey> = { listen: 'monitorModeListen', whisper: 'monitorModeWhisper', barge: 'monitorModeBarge' };
const HEADING: Record<MonitorMode, SoftphoneKey> = { listen: 'monitorListening', whisper: 'monitorWhispering', barge: 'monitorBarging' };
const VOICE: Record<MonitorVoice, SoftphoneKey> = {
  nobody: 'monitorNobodyHears', starting: 'monitorMicStarting', agent: 'monitorMicAgent', both: 'monitorMicBoth', on: 'monitorMicOn',
};

/**
 * The supervisor's view of a monitoring call: whom they hear, who hears
 * them (their talk leg, whisper and barge), the mode buttons the server
 * allows, and the button that ends it.
 */
export function MonitoringBar(props: { monitor: MonitorInfo; connected: boolean; sideCalls: readonly SideCallView[]; onHangUp: () => void }): preact.JSX.Element {
  const t = useT();
  const { monitor } = props;
  const talk = props.sideCalls.filter((c) => c.kind === 'talk' && c.sessionId === monitor.sessionId);
  const talkConnected = talk.some((c) => c.connected);
  const micError = talk.find((c) => c.error !== null)?.error ?? null;
  const modes = useMonitorModes(monitor.sessionId, monitor.mode, talkConnected);
  // A talk leg this phone could not answer: nobody hears the supervisor, whatever the mode says.
  const voice = micError && !talkConnected ? 'nobody' : monitorVoiceOf(modes.active, talkConnected);
  const who = monitor.label || t('monitorSomeCall');
  return (
    <section class="card sp-monitoring" data-testid="monitoring-bar" aria-live="polite">
      <h2>{t(HEADING[modes.active], { who })}</h2>
      <p class={voice === 'nobody' ? 'muted' : 'banner warn'} data-testid="monitoring-voice">
        {props.connected ? t(VOICE[voice], { who: agentSideOf(monitor.label) || t('monitorTheAgent') }) : t('connecting')}
      </p>
      {modes.allowed.length > 0 && (
        <div class="row" role="group" aria-label={t('monitorModes')}>
          {modes.allowed.map((mode) => (
            <button type="button" key={mode} aria-pressed={modes.active === mode} disabled={modes.busy || !props.connected}
              onClick={() => { if (mode !== modes.active) modes.change(mode); }}>
              {t(MODE_LABEL[mode])}
            </button>
          ))}
        </div>
      )}
      {micError && !talkConnected && <div class="banner error" role="alert">{t('monitorMicFailed', { why: micError })}</div>}
      <ErrorBanner error={modes.error} onDismiss={modes.dismissError} />
      <button type="button" class="danger big" onClick={props.onHangUp}>{t('monitorStop')}</button>
    </section>
  );
}
