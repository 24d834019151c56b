import { useState } from 'preact/hooks';
import { formatDuration } from '../shared/i18n';
import { useNow } from '../shared/hooks';
import type { AgentSnapshot, CodeLabel } from './softphone-api';
import { agentStateLabel, useT } from './softphone-i18n';

/** Not-ready reasons the ACD sets itself (src/acd/agent-state.ts): a missed call, a call it did not hand out. */
const ACD_ONLY_REASONS: ReadonlySet<string> = new Set(['missed_call', 'direct_call']);

function toMs(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Ready / Not ready (with a reason) / wrap-up with its countdown. Buttons ask
 * the server; what is shown is what the server says back over the event
 * socket (the server is the truth), never an optimistic guess.
 */
export function AgentStatePanel(props: {
  agent: AgentSnapshot | null;
  reasons: CodeLabel[];
  busy: boolean;
  onReady: () => void;
  onNotReady: (reason: string) => void;
  onLogOut: () => void;
  onEndWrapUp: () => void;
  onExtendWrapUp: (seconds: number) => void;
}): preact.JSX.Element {
  const t = useT();
  const now = useNow(1000);
  const [reason, setReason] = useState('');
  const agent = props.agent;
  const state = agent?.state ?? null;
  const since = toMs(agent?.since);
  const wrapUntil = toMs(agent?.wrapUpUntil);
  const reasonLabel = agent?.reason ? props.reasons.find((r) => r.code === agent.reason)?.label ?? agent.reason : null;
  // Reasons the ACD gives by itself are shown when set, never offered to pick.
  const choosable = props.reasons.filter((r) => !ACD_ONLY_REASONS.has(r.code));
  const chosen = reason || choosable[0]?.code || '';
  const onCall = state === 'on_call' || state === 'reserved';
  return (
    <section class="card sp-agent" aria-label={t('myState')}>
      <div class="sp-agent-head">
        <h2>{t('myState')}</h2>
        {state ? (
          <span class={`badge big ${state}`} data-testid="agent-state" aria-live="polite">{agentStateLabel(t, state)}</span>
        ) : (
          <span class="badge" data-testid="agent-state">{t('stateUnknown')}</span>
        )}
      </div>
      <p class="muted sp-agent-detail">
        {reasonLabel && state === 'not_ready' ? <span>{reasonLabel} · </span> : null}
        {since ? t('inStateFor', { d: formatDuration(now - since) }) : ' '}
      </p>
      {state === 'wrap_up' && (
        <div class="sp-wrap-timer" role="timer" aria-label={t('wrapUpLeft')}>
          <span class="sp-wrap-count" data-testid="wrap-up-timer">{wrapUntil ? formatDuration(Math.max(0, wrapUntil - now)) : '—'}</span>
          <span class="muted">{t('wrapUpLeft')}</span>
          <div class="row">
            <button type="button" class="ok" disabled={props.busy} onClick={props.onEndWrapUp}>{t('endWrapUp')}</button>
            <button type="button" disabled={props.busy} onClick={() => props.onExtendWrapUp(30)}>{t('extendWrapUp', { s: 30 })}</button>
          </div>
        </div>
      )}
      <div class="sp-state-buttons">
        <button type="button" class="ok" disabled={props.busy || state === 'ready' || onCall || state === 'wrap_up'} onClick={props.onReady}>
          {t('ready')} <kbd>R</kbd>
        </button>
        <div class="sp-not-ready">
          <select aria-label={t('notReadyReason')} value={chosen} onChange={(e) => setReason(e.currentTarget.value)} disabled={props.busy || choosable.length === 0}>
            {choosable.map((r) => <option key={r.code} value={r.code}>{r.label}</option>)}
          </select>
          <button type="button" disabled={props.busy || onCall || !chosen || (state === 'not_ready' && agent?.reason === chosen)} onClick={() => props.onNotReady(chosen)}>
            {t('notReady')}
          </button>
        </div>
        <button type="button" class="link" disabled={props.busy || onCall || state === 'logged_out' || state === null} onClick={props.onLogOut}>{t('logOutQueues')}</button>
      </div>
    </section>
  );
}
