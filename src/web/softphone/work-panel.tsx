import { useState } from 'preact/hooks';
import type { ApiError } from '../shared/api-client';
import { ErrorBanner } from '../shared/components';
import { asApiError, useAsync } from '../shared/hooks';
import { formatDateTime, formatDuration, formatTime } from '../shared/i18n';
import { softphoneApi, type Assignment, type CodeLabel, type MyStats } from './softphone-api';
import { outcomeLabel, useT } from './softphone-i18n';
import { MessagesTab, MessagesTabLabel } from './messages-tab';

type Tab = 'work' | 'messages' | 'history' | 'stats';

/** What the softphone is asked to call: a number, a client, or a campaign call assigned to me (its client). */
export interface DialTarget {
  clientId?: number;
  number?: string;
  campaignCallId?: number;
  label: string;
}

/** The right-hand column: assignments (callbacks, campaign calls), today's calls, my shift. */
export function WorkPanel(props: {
  version: number;
  canCall: boolean;
  dispositions: CodeLabel[];
  onCall: (target: DialTarget) => void;
  onOpenClient: (clientId: number) => void;
}): preact.JSX.Element {
  const t = useT();
  const [tab, setTab] = useState<Tab>('work');
  const tabs: Array<[Tab, preact.ComponentChild]> = [['work', t('tabWork')], ['messages', <MessagesTabLabel version={props.version} />], ['history', t('tabHistory')], ['stats', t('tabStats')]];
  return (
    <section class="card sp-work" aria-label={t('myWork')}>
      <div role="tablist" class="sp-tabs" aria-label={t('myWork')}>
        {tabs.map(([key, label]) => (
          <button type="button" role="tab" key={key} id={`tab-${key}`} aria-selected={tab === key} aria-controls={`panel-${key}`} onClick={() => setTab(key)}>{label}</button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="sp-tabpanel">
        {tab === 'work' && <Assignments version={props.version} canCall={props.canCall} onCall={props.onCall} onOpenClient={props.onOpenClient} />}
        {tab === 'messages' && <MessagesTab version={props.version} canCall={props.canCall} onCall={props.onCall} />}
        {tab === 'history' && <History version={props.version} />}
        {tab === 'stats' && <Stats version={props.version} dispositions={props.dispositions} />}
      </div>
    </section>
  );
}

const RESULTS = ['done', 'no_answer', 'failed', 'skipped'] as const;

function Assignments(props: { version: number; canCall: boolean; onCall: (target: DialTarget) => void; onOpenClient: (clientId: number) => void }): preact.JSX.Element {
  const t = useT();
  const [tick, setTick] = useState(0);
  const list = useAsync(() => softphoneApi.assignments(), [props.version, tick]);
  const [open, setOpen] = useState<string | null>(null);
  if (list.error) return <ErrorBanner error={list.error} onDismiss={list.reload} />;
  if (list.loading && !list.data) return <p class="muted">{t('loading')}</p>;
  const items = list.data ?? [];
  if (items.length === 0) return <p class="muted sp-empty">{t('noAssignments')}</p>;
  return (
    <ul class="sp-assignments" aria-label={t('tabWork')}>
      {items.map((a) => {
        const key = `${a.kind}:${a.id}`;
        const label = a.clientName ?? a.number ?? '—';
        return (
          <li key={key} class="sp-assignment">
            <div class="row">
              <span class={`badge ${a.kind === 'callback' ? 'ringing' : 'info'}`}>{a.kind === 'callback' ? t('callback') : t('campaign')}</span>
              {a.clientId !== null ? (
                <button type="button" class="link sp-strong" onClick={() => a.clientId !== null && props.onOpenClient(a.clientId)}>{label}</button>
              ) : <strong>{label}</strong>}
              <span class="grow" />
              <span class="muted">{a.dueAt ? formatDateTime(a.dueAt) : ''}</span>
            </div>
            <div class="muted">{a.number ?? ''}{a.note ? ` · ${a.note}` : ''} · {a.status}</div>
            <div class="row">
              <button type="button" class="ok" disabled={!props.canCall || (a.clientId === null && !a.number)}
                onClick={() => props.onCall(a.kind === 'campaign' && typeof a.id === 'number'
                  // A campaign call is placed as one: the server checks it is ours and dials its client under the outbound policy.
                  ? { campaignCallId: a.id, ...(a.clientId !== null ? { clientId: a.clientId } : {}), label }
                  : a.clientId !== null ? { clientId: a.clientId, label } : { number: a.number ?? '', label })}
                aria-label={`${t('call')}: ${label}`}>{t('call')}</button>
              <button type="button" aria-expanded={open === key} onClick={() => setOpen(open === key ? null : key)} aria-label={`${t('result')}: ${label}`}>{t('result')}</button>
            </div>
            {open === key && <ResultForm assignment={a} onSaved={() => { setOpen(null); setTick((n) => n + 1); }} />}
          </li>
        );
      })}
    </ul>
  );
}

function ResultForm(props: { assignment: Assignment; onSaved: () => void }): preact.JSX.Element {
  const t = useT();
  const [result, setResult] = useState<string>('done');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await softphoneApi.assignmentResult(props.assignment, result, notes.trim());
      props.onSaved();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="sp-result" onSubmit={(e) => void submit(e)} aria-label={t('result')}>
      <label>{t('result')}
        <select value={result} onChange={(e) => setResult(e.currentTarget.value)}>
          {RESULTS.map((r) => <option key={r} value={r}>{t(`result_${r}`)}</option>)}
        </select>
      </label>
      <label>{t('notes')}<textarea rows={2} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} maxLength={4000} /></label>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <button type="submit" class="primary" disabled={busy}>{t('saveResult')}</button>
    </form>
  );
}

function History(props: { version: number }): preact.JSX.Element {
  const t = useT();
  const calls = useAsync(() => softphoneApi.myCalls(), [props.version]);
  if (calls.error) return <ErrorBanner error={calls.error} onDismiss={calls.reload} />;
  if (calls.loading && !calls.data) return <p class="muted">{t('loading')}</p>;
  const rows = calls.data ?? [];
  if (rows.length === 0) return <p class="muted sp-empty">{t('noCallsToday')}</p>;
  return (
    <table class="sp-table" aria-label={t('tabHistory')} data-testid="my-calls">
      <thead><tr><th>{t('time')}</th><th>{t('who')}</th><th>{t('outcome')}</th><th class="num">{t('talk')}</th><th>{t('disposition')}</th></tr></thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.callId}>
            <td>{formatTime(c.startedAt)} <span class="muted" title={c.direction}>{c.direction === 'inbound' ? '↙' : '↗'}</span></td>
            <td>{c.clientName ?? c.callerNumber ?? '—'}</td>
            <td>{outcomeLabel(t, c.outcome)}</td>
            <td class="num">{formatDuration(c.talkMs)}</td>
            <td>{c.dispositionLabel ?? c.dispositionCode ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where the shift's time went, as one stacked bar (inline SVG, no chart library). */
function TimeBar(props: { stats: MyStats }): preact.JSX.Element {
  const t = useT();
  const parts = [
    { key: 'talk', ms: props.stats.talkMs, color: 'var(--talking)', label: t('talkTime') },
    { key: 'hold', ms: props.stats.holdMs, color: 'var(--ringing)', label: t('holdTime') },
    { key: 'wrap', ms: props.stats.wrapUpMs, color: 'var(--wrap)', label: t('wrapUpTime') },
    { key: 'ready', ms: props.stats.readyMs, color: 'var(--ready)', label: t('readyTime') },
    { key: 'notReady', ms: props.stats.notReadyMs, color: 'var(--not-ready)', label: t('notReadyTime') },
  ];
  const total = parts.reduce((sum, p) => sum + Math.max(0, p.ms), 0);
  let x = 0;
  return (
    <figure class="sp-timebar">
      <svg viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label={t('timeSplit')}>
        <rect x="0" y="0" width="100" height="8" fill="#eef1f5" />
        {total > 0 && parts.map((p) => {
          const width = (Math.max(0, p.ms) / total) * 100;
          const rect = <rect key={p.key} x={x} y="0" width={width} height="8" fill={p.color}><title>{`${p.label}: ${formatDuration(p.ms)}`}</title></rect>;
          x += width;
          return rect;
        })}
      </svg>
      <figcaption class="sp-legend">
        {parts.map((p) => <span key={p.key}><i style={{ background: p.color }} aria-hidden="true" />{p.label} {formatDuration(p.ms)}</span>)}
      </figcaption>
    </figure>
  );
}

function Stats(props: { version: number; dispositions: CodeLabel[] }): preact.JSX.Element {
  const t = useT();
  const stats = useAsync(() => softphoneApi.myStats(), [props.version]);
  if (stats.error) return <ErrorBanner error={stats.error} onDismiss={stats.reload} />;
  if (stats.loading && !stats.data) return <p class="muted">{t('loading')}</p>;
  const s = stats.data;
  if (!s) return <p class="muted">{t('noData')}</p>;
  const tiles: Array<[string, string]> = [
    [t('handled'), String(s.handled)], [t('missed'), String(s.missed)],
    [t('talkTime'), formatDuration(s.talkMs)], [t('avgHandle'), formatDuration(s.avgHandleMs)],
  ];
  const label = (code: string): string => props.dispositions.find((d) => d.code === code)?.label ?? code;
  const byDisposition = Object.entries(s.byDisposition).sort((a, b) => b[1] - a[1]);
  return (
    <div class="stack" data-testid="my-stats">
      <div class="sp-tiles">
        {tiles.map(([name, value]) => <div class="sp-tile" key={name}><div class="sp-tile-value">{value}</div><div class="muted">{name}</div></div>)}
      </div>
      <TimeBar stats={s} />
      <h3>{t('byDisposition')}</h3>
      {byDisposition.length === 0 ? <p class="muted">{t('noData')}</p> : (
        <table class="sp-table"><tbody>{byDisposition.map(([code, n]) => <tr key={code}><td>{label(code)}</td><td class="num">{n}</td></tr>)}</tbody></table>
      )}
    </div>
  );
}
