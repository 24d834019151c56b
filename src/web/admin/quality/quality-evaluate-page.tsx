import { useEffect, useState } from 'preact/hooks';
import { api } from '../../shared/api-client';
import { ErrorBanner } from '../../shared/components';
import { asApiError, useAsync } from '../../shared/hooks';
import { navigate } from '../../shared/hash-route';
import { formatDateTime, formatDuration, translator } from '../../shared/i18n';
import type { ApiError } from '../../shared/api-client';
import type { AdminPageProps } from '../pages';
import { EvaluationWorkspace } from './evaluation-workspace';
import { qualityApi, type QualityCall } from './quality-api';
import { callQuery, filtersFromQuery, filtersToQuery, type CallFilters } from './quality-view';

const useT = translator({
  en: {
    title: 'Evaluate calls', filters: 'Call filters', from: 'From', to: 'To', queue: 'Queue', agent: 'Agent', anyAgent: 'any agent',
    tag: 'Tag (disposition or wrap-up tag, e.g. complaint)', minSeconds: 'Talk at least (s)', maxSeconds: 'Talk at most (s)', notEvaluated: 'Not yet evaluated',
    sample: 'Random sample of', apply: 'Show calls', reset: 'Clear', calls: 'Calls', started: 'Started', talk: 'Talk', disposition: 'Disposition', tags: 'Tags',
    evaluations: 'Evaluations', open: 'Evaluate', none: 'No recorded calls match these filters.', loading: 'Loading…', more: 'More calls',
    sampleNote: 'A random sample of {n} of the matching calls; Show calls again draws another.', count: 'calls shown: {n}',
  },
  ru: {
    title: 'Оценка звонков', filters: 'Фильтры звонков', from: 'С', to: 'По', queue: 'Очередь', agent: 'Оператор', anyAgent: 'любой оператор',
    tag: 'Метка (результат или метка обработки, напр. complaint)', minSeconds: 'Разговор не короче (с)', maxSeconds: 'Разговор не длиннее (с)', notEvaluated: 'Ещё не оценены',
    sample: 'Случайная выборка из', apply: 'Показать звонки', reset: 'Сбросить', calls: 'Звонки', started: 'Начало', talk: 'Разговор', disposition: 'Результат', tags: 'Метки',
    evaluations: 'Оценок', open: 'Оценить', none: 'Нет записанных звонков по этим фильтрам.', loading: 'Загрузка…', more: 'Ещё звонки',
    sampleNote: 'Случайные {n} из подходящих звонков; «Показать звонки» выберет другие.', count: 'показано звонков: {n}',
  },
});

interface StaffRef { id: number; fullName: string }

/** #/quality-evaluate?filters — the call picker; #/quality-evaluate/<callId>?evaluation=<id> — one call under review. */
export function QualityEvaluatePage(props: AdminPageProps): preact.JSX.Element {
  const callId = props.route.segments[1];
  if (callId) {
    return <EvaluationWorkspace callId={callId} evaluationId={props.route.query.get('evaluation')} backQuery={props.route.query.get('back') ?? ''} />;
  }
  return <CallPicker query={props.route.query} canReadStaff={props.user.role === 'admin' || props.user.role === 'supervisor'} />;
}

function CallPicker(props: { query: URLSearchParams; canReadStaff: boolean }): preact.JSX.Element {
  const t = useT();
  const applied = filtersFromQuery(props.query);
  const appliedKey = filtersToQuery(applied);
  const [filters, setFilters] = useState<CallFilters>(applied);
  // Admins and supervisors pick the agent from the staff list; the quality role may not read it, so
  // it picks among the agents of the calls it has been shown.
  const staff = useAsync(() => (props.canReadStaff ? api.get<StaffRef[]>('/api/staff?limit=1000') : Promise.resolve(null)), [props.canReadStaff]);
  const [seenAgents, setSeenAgents] = useState<ReadonlyMap<number, string>>(new Map());
  const [draw, setDraw] = useState(0);
  // The answer keeps the filters it was asked with, so the list can say which filters it shows.
  const list = useAsync(async () => ({ ...(await qualityApi.calls(callQuery(applied))), filters: appliedKey }), [appliedKey, draw]);
  useEffect(() => {
    const found = (list.data?.items ?? []).filter((c) => c.agentId !== null && !seenAgents.has(c.agentId));
    if (found.length > 0) setSeenAgents((old) => new Map([...old, ...found.map((c): [number, string] => [c.agentId ?? 0, c.agentName ?? `#${c.agentId}`])]));
  }, [list.data]);
  const agents = staff.data ? staff.data.map((s) => ({ id: s.id, name: s.fullName })) : [...seenAgents].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  const [extra, setExtra] = useState<{ items: QualityCall[]; nextCursor: string | null; after: string } | null>(null);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const items = [...(list.data?.items ?? []), ...(extra && extra.after === appliedKey ? extra.items : [])];
  const nextCursor = extra && extra.after === appliedKey ? extra.nextCursor : (list.data?.nextCursor ?? null);
  const set = (patch: Partial<CallFilters>): void => setFilters((f) => ({ ...f, ...patch }));
  const apply = (next: CallFilters): void => {
    setExtra(null);
    const query = filtersToQuery(next);
    // The same filters again: draw a new sample (or reload), as the hash does not change.
    if (query === appliedKey) setDraw((n) => n + 1);
    else navigate(`quality-evaluate${query ? `?${query}` : ''}`);
  };
  const more = async (): Promise<void> => {
    if (!nextCursor) return;
    try {
      const page = await qualityApi.calls(`${callQuery(applied)}&cursor=${encodeURIComponent(nextCursor)}`);
      setExtra((old) => ({ items: [...(old && old.after === appliedKey ? old.items : []), ...page.items], nextCursor: page.nextCursor, after: appliedKey }));
    } catch (err) {
      setMoreError(asApiError(err));
    }
  };
  const sampled = /^[1-9]\d*$/.test(applied.sample);

  return (
    <div class="stack quality-picker">
      <h1>{t('title')}</h1>
      <form class="card filters" aria-label={t('filters')} onSubmit={(e) => { e.preventDefault(); apply(filters); }}>
        <div class="filter-grid">
          <label class="field">{t('from')}<input type="date" value={filters.from} onInput={(e) => set({ from: e.currentTarget.value })} /></label>
          <label class="field">{t('to')}<input type="date" value={filters.to} onInput={(e) => set({ to: e.currentTarget.value })} /></label>
          <label class="field">{t('queue')}<input value={filters.queue} onInput={(e) => set({ queue: e.currentTarget.value })} /></label>
          <label class="field">{t('agent')}
            <select aria-label={t('agent')} value={filters.agentId} onChange={(e) => set({ agentId: e.currentTarget.value })}>
              <option value="">{t('anyAgent')}</option>
              {filters.agentId && !agents.some((a) => String(a.id) === filters.agentId) && <option value={filters.agentId}>#{filters.agentId}</option>}
              {agents.map((a) => <option key={a.id} value={String(a.id)}>{a.name}</option>)}
            </select>
          </label>
          <label class="field">{t('tag')}<input value={filters.tag} onInput={(e) => set({ tag: e.currentTarget.value })} /></label>
          <label class="field">{t('minSeconds')}<input type="number" min={0} value={filters.minSeconds} onInput={(e) => set({ minSeconds: e.currentTarget.value })} /></label>
          <label class="field">{t('maxSeconds')}<input type="number" min={0} value={filters.maxSeconds} onInput={(e) => set({ maxSeconds: e.currentTarget.value })} /></label>
          <label class="field">{t('sample')}<input type="number" min={1} max={500} value={filters.sample} onInput={(e) => set({ sample: e.currentTarget.value })} /></label>
          <label class="checkbox"><input type="checkbox" checked={filters.notEvaluated} onChange={(e) => set({ notEvaluated: e.currentTarget.checked })} /><span>{t('notEvaluated')}</span></label>
        </div>
        <div class="row">
          <button type="submit" class="primary">{t('apply')}</button>
          <button type="button" onClick={() => { const blank = filtersFromQuery(new URLSearchParams()); setFilters(blank); apply(blank); }}>{t('reset')}</button>
        </div>
      </form>
      <ErrorBanner error={list.error ?? staff.error ?? moreError} onDismiss={() => setMoreError(null)} />
      <section class="card" aria-label={t('calls')} aria-busy={list.loading} data-filters={list.data?.filters}>
        <div class="row"><h2 class="grow">{t('calls')}</h2>{list.data && <span class="muted" data-testid="call-count">{t('count', { n: items.length })}</span>}</div>
        {sampled && <p class="muted">{t('sampleNote', { n: applied.sample })}</p>}
        {list.loading && !list.data ? <p class="muted" role="status">{t('loading')}</p> : items.length === 0 ? <p class="muted">{t('none')}</p> : (
          <table class="quality-calls">
            <thead><tr><th>{t('started')}</th><th>{t('queue')}</th><th>{t('agent')}</th><th class="num">{t('talk')}</th><th>{t('disposition')}</th><th>{t('tags')}</th><th class="num">{t('evaluations')}</th><th /></tr></thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.callId} data-call={c.callId}>
                  <td>{formatDateTime(c.startedAt)}</td>
                  <td>{c.queue ?? '—'}</td>
                  <td data-field="agent">{c.agentName ?? '—'}</td>
                  <td class="num">{formatDuration(c.talkSeconds * 1000)}</td>
                  <td>{c.disposition ?? '—'}</td>
                  <td>{c.tags.map((tag) => <span key={tag} class="badge">{tag}</span>)}</td>
                  <td class="num" data-field="evaluations">{c.evaluations}</td>
                  <td><a href={`#/quality-evaluate/${encodeURIComponent(c.callId)}${appliedKey ? `?back=${encodeURIComponent(appliedKey)}` : ''}`}>{t('open')}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {!sampled && nextCursor && <button type="button" onClick={() => void more()}>{t('more')}</button>}
      </section>
    </div>
  );
}
