import type { MonitorInfo } from './monitoring-call';
import { useT } from './softphone-i18n';

/** The supervisor's view of a monitoring call: whom they hear, and the button that ends it. */
export function MonitoringBar(props: { monitor: MonitorInfo; connected: boolean; onHangUp: () => void }): preact.JSX.Element {
  const t = useT();
  const { monitor } = props;
  return (
    <section class="card sp-monitoring" data-testid="monitoring-bar" aria-live="polite">
      <h2>{t(monitor.mode === 'listen' ? 'monitorListening' : monitor.mode === 'whisper' ? 'monitorWhispering' : 'monitorBarging', { who: monitor.label || t('monitorSomeCall') })}</h2>
      <p class="muted">{props.connected ? t('monitorNobodyHears') : t('connecting')}</p>
      <button type="button" class="danger big" onClick={props.onHangUp}>{t('monitorStop')}</button>
    </section>
  );
}
