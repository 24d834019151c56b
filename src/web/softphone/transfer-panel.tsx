import { useEffect, useState } from 'preact/hooks';
import { ErrorBanner } from '../shared/components';
import { useAsync } from '../shared/hooks';
import { softphoneApi, type TransferTarget } from './softphone-api';
import { agentStateLabel, useT } from './softphone-i18n';

export type TransferMode = 'blind' | 'warm';

export interface ConsultState {
  target: TransferTarget;
  label: string;
  /** starting: the request is on its way; ringing / active (talking) / failed: the server's consult state, polled. */
  status: 'starting' | 'ringing' | 'active' | 'failed' | 'finishing';
}

/**
 * Transfer the call: blind (the caller goes on at once, this line ends) or
 * warm (talk to the target first — the server bridges this same line to
 * them — then complete or cancel). Targets: the client's manager, finance,
 * quality control, second line, a queue, or a person with their live state.
 */
export function TransferPanel(props: {
  callId: string;
  consult: ConsultState | null;
  busy: boolean;
  error: Error | null;
  onDismissError: () => void;
  onTransfer: (mode: TransferMode, target: TransferTarget, label: string) => void;
  onCompleteConsult: () => void;
  onCancelConsult: () => void;
  onClose: () => void;
}): preact.JSX.Element {
  const t = useT();
  const [mode, setMode] = useState<TransferMode>('blind');
  const [filter, setFilter] = useState('');
  const [tick, setTick] = useState(0);
  // People's states change while the operator decides: refresh every few seconds.
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(timer);
  }, []);
  const targets = useAsync(() => softphoneApi.transferTargets(props.callId), [props.callId, tick]);
  const data = targets.data;
  const act = (target: TransferTarget, label: string): void => props.onTransfer(mode, target, label);
  const actionLabel = mode === 'blind' ? t('transferNow') : t('consult');

  if (props.consult) {
    return (
      <section class="card sp-transfer" aria-label={t('transfer')}>
        <h2>{t('consulting', { who: props.consult.label })}</h2>
        {props.consult.status === 'failed'
          ? <p class="banner warn" role="alert">{t('consultFailed')}</p>
          : <p class="muted" role="status">{props.consult.status === 'active' ? t('consultActive') : t('consultStarting')}</p>}
        <div class="row">
          <button type="button" class="ok" disabled={props.busy || props.consult.status !== 'active'} onClick={props.onCompleteConsult}>{t('completeTransfer')}</button>
          <button type="button" class="danger" disabled={props.busy} onClick={props.onCancelConsult}>{t('cancelConsult')}</button>
        </div>
        <ErrorBanner error={props.error} onDismiss={props.onDismissError} />
      </section>
    );
  }

  const shortcuts = data?.shortcuts;
  const people = (data?.people ?? []).filter((p) => !filter || `${p.name} ${p.department ?? ''} ${p.role}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section class="card sp-transfer" aria-label={t('transfer')}>
      <div class="sp-transfer-head">
        <h2>{t('transfer')}</h2>
        <div class="sp-segmented" role="radiogroup" aria-label={t('transferMode')}>
          <button type="button" role="radio" aria-checked={mode === 'blind'} onClick={() => setMode('blind')}>{t('blind')}</button>
          <button type="button" role="radio" aria-checked={mode === 'warm'} onClick={() => setMode('warm')}>{t('warm')}</button>
        </div>
        <button type="button" class="link" onClick={props.onClose}>{t('close')}</button>
      </div>
      <p class="muted">{mode === 'blind' ? t('blindHelp') : t('warmHelp')}</p>
      <ErrorBanner error={props.error ?? targets.error} onDismiss={props.onDismissError} />
      {targets.loading && !data && <p class="muted">{t('loading')}</p>}
      {shortcuts && (
        <div class="sp-shortcuts" role="group" aria-label={t('quickTargets')}>
          <button type="button" disabled={props.busy || !shortcuts.manager} onClick={() => shortcuts.manager && act({ kind: 'person', staffId: shortcuts.manager.staffId }, shortcuts.manager.name)}>
            {t('toManager')}{shortcuts.manager ? `: ${shortcuts.manager.name}` : ''}
          </button>
          {([['finance', t('toFinance')], ['quality', t('toQuality')], ['secondLine', t('toSecondLine')]] as const).map(([key, label]) => {
            const target = shortcuts[key];
            return (
              <button type="button" key={key} disabled={props.busy || !target} onClick={() => target && act({ kind: 'department', department: target.department }, target.label)}>
                {label}
              </button>
            );
          })}
        </div>
      )}
      {data && (
        <div class="sp-transfer-lists">
          <div>
            <h3>{t('queues')}</h3>
            <ul class="sp-list" aria-label={t('queues')}>
              {data.queues.map((q) => (
                <li key={q.name}>
                  <span class="grow">{q.label} <span class="muted">· {t('waitingN', { n: q.waiting })}</span></span>
                  <button type="button" disabled={props.busy} onClick={() => act({ kind: 'queue', queue: q.name }, q.label)} aria-label={`${actionLabel}: ${q.label}`}>{actionLabel}</button>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3>{t('people')}</h3>
            <input type="search" aria-label={t('findPerson')} placeholder={t('findPerson')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
            <ul class="sp-list sp-people" aria-label={t('people')}>
              {people.length === 0 && <li class="muted">{t('nobody')}</li>}
              {people.map((p) => (
                <li key={p.staffId}>
                  <span class="grow">
                    {p.name} <span class="muted">· {p.department ?? p.role}</span>
                  </span>
                  <span class={`badge ${p.state ?? 'logged_out'}`}>{agentStateLabel(t, p.state ?? 'logged_out')}</span>
                  {!p.registered && <span class="badge bad" title={t('noDevice')}>{t('noDeviceShort')}</span>}
                  <button type="button" disabled={props.busy} onClick={() => act({ kind: 'person', staffId: p.staffId }, p.name)} aria-label={`${actionLabel}: ${p.name}`}>{actionLabel}</button>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
