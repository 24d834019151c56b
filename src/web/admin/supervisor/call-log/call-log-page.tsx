import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { navigate } from '../../../shared/hash-route';
import { asApiError, useAsync } from '../../../shared/hooks';
import { formatDateTime, formatDuration, translator } from '../../../shared/i18n';
import type { AdminPageProps } from '../../pages';
import { useLabel } from '../supervisor-labels';
import { localDayStartIso } from '../supervisor-labels';
import { CallDetail } from './call-detail';
import type { CallLogItem, CallLogPage as CallLogResults } from '../../../../api/schemas/call-schemas';
import type { CallOutcome } from '../../../../calls/call-outcome';
import type { CallDirection } from '../../../../calls/call-record';
import { everyMember } from '../../../shared/every-member';

/** The filter lists, in the order the form offers them; checked against the server's unions (src/calls). */
const CALL_OUTCOME_CODES = everyMember<CallOutcome>()([
  'answered', 'abandoned_ivr', 'abandoned_queue', 'abandoned_ringing', 'overflowed', 'transferred', 'callback_requested', 'after_hours', 'failed', 'rejected', 'interrupted',
]);
const CALL_DIRECTION_CODES = everyMember<CallDirection>()(['inbound', 'outbound', 'callback', 'internal']);

const useT = translator({
  en: {
    title: 'Call log', from: 'From', to: 'To (inclusive)', number: 'Phone number', client: 'Client name', agent: 'Agent', queue: 'Queue',
    disposition: 'Disposition', outcome: 'Outcome', direction: 'Direction', any: 'Any', search: 'Search', reset: 'Clear', loading: 'Searching…',
    started: 'Started', caller: 'Caller', agents: 'Agents', wait: 'Wait', talk: 'Talk', recording: 'Recording', more: 'Load more',
    empty: 'No calls match.', hasRecording: 'recorded', results: 'Calls found', filters: 'Call search', open: 'Open call from {number} at {time}',
    shown: '{n} shown',
  },
  ru: {
    title: 'Журнал звонков', from: 'С', to: 'По (включительно)', number: 'Номер телефона', client: 'Клиент', agent: 'Оператор', queue: 'Очередь',
    disposition: 'Результат обработки', outcome: 'Исход', direction: 'Направление', any: 'Любой', search: 'Найти', reset: 'Сбросить', loading: 'Поиск…',
    started: 'Начало', caller: 'Абонент', agents: 'Операторы', wait: 'Ожидание', talk: 'Разговор', recording: 'Запись', more: 'Показать ещё',
    empty: 'Звонков не найдено.', hasRecording: 'есть запись', results: 'Найденные звонки', filters: 'Поиск звонков', open: 'Открыть звонок с {number} в {time}',
    shown: 'показано {n}',
  },
});

interface Named { id: number; name?: string; label?: string; fullName?: string }
interface Code { code: string; label: string }

/** The search fields, as they stand in the URL (#/calls?number=…), so that Back returns to the same results. */
const FILTER_KEYS = ['from', 'to', 'number', 'client', 'agentId', 'queue', 'disposition', 'outcome', 'direction'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Record<FilterKey, string>;

function filtersFrom(query: URLSearchParams): Filters {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, query.get(k) ?? ''])) as Filters;
}

function apiQuery(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key].trim();
    if (!value) continue;
    // Days in the form are local calendar days; the API takes instants.
    if (key === 'from') params.set('from', localDayStartIso(value));
    else if (key === 'to') params.set('to', localDayStartIso(value, 1));
    else params.set(key, value);
  }
  params.set('limit', '50');
  return params;
}

/** `#/calls` (search) and `#/calls/<id>` (one call's timeline and recording). */
export function CallLogPage(props: AdminPageProps): preact.JSX.Element {
  const callId = props.route.segments[1];
  if (callId) return <CallDetail callId={callId} backQuery={props.route.query.toString()} />;
  return <CallSearch {...props} />;
}

function CallSearch(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const label = useLabel();
  const applied = filtersFrom(props.route.query);
  const appliedKey = apiQuery(applied).toString();
  const [draft, setDraft] = useState<Filters>(applied);
  const [items, setItems] = useState<CallLogItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const staff = useAsync(() => api.get<Named[]>('/api/staff?limit=1000'), []);
  const queues = useAsync(() => api.get<Named[]>('/api/queues'), []);
  const codes = useAsync(() => api.get<Code[]>('/api/disposition-codes'), []);

  const load = async (after: string | null, signal: { cancelled: boolean }): Promise<void> => {
    setLoading(true);
    const params = apiQuery(applied);
    if (after) params.set('cursor', after);
    try {
      const page = await api.get<CallLogResults>(`/api/call-log?${params.toString()}`);
      if (signal.cancelled) return;
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      if (!signal.cancelled) setError(asApiError(err));
    } finally {
      if (!signal.cancelled) setLoading(false);
    }
  };

  // The form follows the filters only when they change from outside (a link, back/forward): resetting it on
  // the first run too would wipe what a supervisor typed while the page was still loading.
  const shownKey = useRef(appliedKey);
  useEffect(() => {
    if (shownKey.current !== appliedKey) setDraft(applied);
    shownKey.current = appliedKey;
    const signal = { cancelled: false };
    void load(null, signal);
    return () => { signal.cancelled = true; };
  }, [appliedKey]);

  const submit = (e: Event): void => {
    e.preventDefault();
    const query = new URLSearchParams();
    for (const key of FILTER_KEYS) if (draft[key].trim()) query.set(key, draft[key].trim());
    navigate(`calls?${query.toString()}`);
  };
  const set = (key: FilterKey, value: string): void => setDraft((d) => ({ ...d, [key]: value }));
  const backQuery = props.route.query.toString();
  const dateInput = (key: 'from' | 'to'): preact.JSX.Element => (
    <label>{t(key)}<input type="date" value={draft[key]} onInput={(e) => set(key, e.currentTarget.value)} /></label>
  );
  const textInput = (key: 'number' | 'client', placeholder?: string): preact.JSX.Element => (
    <label>{t(key)}<input type="search" value={draft[key]} placeholder={placeholder} onInput={(e) => set(key, e.currentTarget.value)} /></label>
  );
  const select = (key: FilterKey, options: Array<{ value: string; text: string }>): preact.JSX.Element => (
    <label>{t(key === 'agentId' ? 'agent' : key)}
      <select value={draft[key]} onChange={(e) => set(key, e.currentTarget.value)}>
        <option value="">{t('any')}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
      </select>
    </label>
  );

  return (
    <div class="stack call-log">
      <h1>{t('title')}</h1>
      <form class="card filters" onSubmit={submit} aria-label={t('filters')} role="search">
        <div class="filter-grid">
          {dateInput('from')}
          {dateInput('to')}
          {textInput('number', '+7 495 123-45-67')}
          {textInput('client')}
          {select('agentId', (staff.data ?? []).map((s) => ({ value: String(s.id), text: s.fullName ?? String(s.id) })))}
          {select('queue', (queues.data ?? []).map((q) => ({ value: q.name ?? '', text: q.label ?? q.name ?? '' })))}
          {select('disposition', (codes.data ?? []).map((c) => ({ value: c.code, text: c.label })))}
          {select('outcome', CALL_OUTCOME_CODES.map((o) => ({ value: o, text: label('outcome', o) })))}
          {select('direction', CALL_DIRECTION_CODES.map((d) => ({ value: d, text: label('direction', d) })))}
        </div>
        <div class="row">
          <button type="submit" class="primary">{t('search')}</button>
          <button type="button" onClick={() => navigate('calls')}>{t('reset')}</button>
        </div>
      </form>
      <ErrorBanner error={error ?? staff.error ?? queues.error ?? codes.error} />
      <section class="card table-card" aria-label={t('results')} aria-busy={loading}>
        {items.length === 0 && !loading && !error && <p class="muted empty-state">{t('empty')}</p>}
        {items.length > 0 && (
          <div class="table-scroll">
            <table class="call-table">
              <thead>
                <tr>
                  <th>{t('started')}</th><th>{t('caller')}</th><th>{t('client')}</th><th>{t('direction')}</th><th>{t('queue')}</th><th>{t('agents')}</th>
                  <th>{t('outcome')}</th><th class="num">{t('wait')}</th><th class="num">{t('talk')}</th><th>{t('disposition')}</th><th>{t('recording')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.callId} data-call-id={c.callId} class="clickable" onClick={() => navigate(`calls/${c.callId}${backQuery ? `?${backQuery}` : ''}`)}>
                    <td><a href={`#/calls/${c.callId}${backQuery ? `?${backQuery}` : ''}`} aria-label={t('open', { number: c.callerNumber, time: formatDateTime(c.startedAt) })} onClick={(e) => e.stopPropagation()}>{formatDateTime(c.startedAt)}</a></td>
                    <td class="nowrap">{c.callerNumber}</td>
                    <td>{c.clientName ?? '—'}{c.clientType && <span class="badge">{c.clientType}</span>}</td>
                    <td>{label('direction', c.direction)}</td>
                    <td>{c.queue ?? '—'}</td>
                    <td>{c.agentNames.join(', ') || '—'}</td>
                    <td><span class={`badge outcome ${c.outcome ?? ''}`}>{label('outcome', c.outcome)}</span></td>
                    <td class="num">{formatDuration(c.waitMs)}</td>
                    <td class="num">{formatDuration(c.talkMs)}</td>
                    <td>{c.dispositionCode ?? '—'}</td>
                    <td>{c.hasRecording ? <span class="badge ok">{t('hasRecording')}</span> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div class="row">
          {loading && <span class="muted" role="status">{t('loading')}</span>}
          {items.length > 0 && <span class="muted">{t('shown', { n: items.length })}</span>}
          {cursor && !loading && <button type="button" onClick={() => void load(cursor, { cancelled: false })}>{t('more')}</button>}
        </div>
      </section>
    </div>
  );
}
