import { useMemo, useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { formatDuration, formatPercent, translator } from '../../../shared/i18n';
import type { AdminPageProps } from '../../pages';
import { ComboChart, HorizontalBars } from '../charts';
import { browserTimeZone, localDateString, localDayStartIso } from '../supervisor-labels';
import type { AgentReport, AgentReportRow, QueueReport, QueueReportRow } from '../../../../api/schemas/report-schemas';
import type { ReportInterval } from '../../../../reports/report-period';
import { agentTotals, bucketLabel, bucketShortLabel, groupBy, queueTotals } from './report-figures';

const useT = translator({
  en: {
    title: 'Reports', kind: 'Report', byQueue: 'By queue', byAgent: 'By agent', from: 'From', to: 'To (inclusive)', interval: 'Interval',
    hour: 'Hour', day: 'Day', week: 'Week', queue: 'Queue', agent: 'Agent', allQueues: 'All queues', allAgents: 'All agents',
    slSeconds: 'Service level T, s', show: 'Show', loading: 'Loading…', csv: 'Download CSV', empty: 'No calls in this period.',
    period: 'Period', bucket: 'Interval', offered: 'Offered', answered: 'Answered', abandoned: 'Abandoned', slA: 'SL (of offered)',
    slB: 'SL (answered + abandoned after T)', asa: 'ASA', aht: 'AHT', talk: 'Talk', hold: 'Hold', wrapUp: 'Wrap-up', longestWait: 'Longest wait',
    overflowed: 'Overflowed', callbacks: 'Callbacks', handled: 'Handled', missed: 'Missed', ready: 'Ready', notReady: 'Not ready', occupancy: 'Occupancy',
    total: 'Total', callsChart: 'Calls and service level per interval', agentChart: 'Calls handled and occupancy per interval',
    occupancyChart: 'Occupancy per agent over the period', calls: 'Calls', serviceLevel: 'Service level', target: 'Target {percent} %',
    handledChart: 'Calls handled per agent', figures: 'Report figures', summary: 'Summary', removed: '(removed)',
    timeZone: 'Times in {zone}', definitions: 'Definitions', slTargetPct: 'Target, %', filters: 'Report filters',
  },
  ru: {
    title: 'Отчёты', kind: 'Отчёт', byQueue: 'По очередям', byAgent: 'По операторам', from: 'С', to: 'По (включительно)', interval: 'Интервал',
    hour: 'Час', day: 'День', week: 'Неделя', queue: 'Очередь', agent: 'Оператор', allQueues: 'Все очереди', allAgents: 'Все операторы',
    slSeconds: 'Порог уровня сервиса, с', show: 'Показать', loading: 'Загрузка…', csv: 'Скачать CSV', empty: 'За этот период звонков нет.',
    period: 'Период', bucket: 'Интервал', offered: 'Поступило', answered: 'Отвечено', abandoned: 'Потеряно', slA: 'УС (от поступивших)',
    slB: 'УС (отвеченные + потерянные после T)', asa: 'Ср. время ответа', aht: 'Ср. время обработки', talk: 'Разговор', hold: 'Удержание', wrapUp: 'Обработка',
    longestWait: 'Макс. ожидание', overflowed: 'Переполнение', callbacks: 'Обратные звонки', handled: 'Обработано', missed: 'Пропущено', ready: 'Готов',
    notReady: 'Не готов', occupancy: 'Занятость', total: 'Итого', callsChart: 'Звонки и уровень сервиса по интервалам',
    agentChart: 'Обработанные звонки и занятость по интервалам', occupancyChart: 'Занятость операторов за период', calls: 'Звонки',
    serviceLevel: 'Уровень сервиса', target: 'Цель {percent} %', handledChart: 'Обработано звонков по операторам', figures: 'Показатели отчёта',
    summary: 'Итоги', removed: '(удалён)', timeZone: 'Время: {zone}', definitions: 'Определения', slTargetPct: 'Цель, %', filters: 'Фильтры отчёта',
  },
});
type T = ReturnType<typeof useT>;

interface QueueRef { id: number; name: string; label: string }
interface StaffRef { id: number; fullName: string; role: string }

interface ReportQuery {
  kind: 'queues' | 'agents';
  from: string;
  to: string;
  interval: ReportInterval;
  queue: string;
  agent: string;
  slSeconds: number;
}

function queryString(q: ReportQuery): string {
  const params = new URLSearchParams({
    from: localDayStartIso(q.from), to: localDayStartIso(q.to, 1), interval: q.interval, tz: browserTimeZone(),
  });
  if (q.kind === 'queues') {
    if (q.queue) params.set('queue', q.queue);
    params.set('slSeconds', String(q.slSeconds));
  } else if (q.agent) {
    params.set('agent', q.agent);
  }
  return params.toString();
}

const pct = (r: number | null): string => formatPercent(r);

/** Queue and agent reports by hour, day or week, with charts and a CSV download (issue 7). */
export function ReportsPage(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const today = localDateString(new Date());
  const weekAgo = localDateString(new Date(Date.now() - 6 * 86_400_000));
  const initial: ReportQuery = {
    kind: props.route.query.get('kind') === 'agents' ? 'agents' : 'queues',
    from: props.route.query.get('from') ?? weekAgo,
    to: props.route.query.get('to') ?? today,
    interval: (['hour', 'day', 'week'] as const).find((i) => i === props.route.query.get('interval')) ?? 'day',
    queue: props.route.query.get('queue') ?? '',
    agent: props.route.query.get('agent') ?? '',
    slSeconds: Number(props.route.query.get('slSeconds') ?? 20) || 20,
  };
  const [draft, setDraft] = useState<ReportQuery>(initial);
  const [applied, setApplied] = useState<ReportQuery>(initial);
  const [targetPercent, setTargetPercent] = useState(90);
  const queues = useAsync(() => api.get<QueueRef[]>('/api/queues'), []);
  const staff = useAsync(() => api.get<StaffRef[]>('/api/staff?active=true&limit=1000'), []);
  const qs = queryString(applied);
  const report = useAsync<QueueReport | AgentReport>(
    () => (applied.kind === 'queues' ? api.get<QueueReport>(`/api/reports/queues?${qs}`) : api.get<AgentReport>(`/api/reports/agents?${qs}`)),
    [qs, applied.kind],
  );
  const set = <K extends keyof ReportQuery>(key: K, value: ReportQuery[K]): void => setDraft((d) => ({ ...d, [key]: value }));
  const submit = (e: Event): void => {
    e.preventDefault();
    // The same query again means "refresh": the data may have changed since.
    if (queryString(draft) === qs && draft.kind === applied.kind) report.reload();
    else setApplied({ ...draft });
  };
  // The link names the report; a click downloads it through a short-lived ticket (a link cannot send the session's header).
  const csvPath = `/api/reports/${applied.kind}?${qs}&format=csv`;
  const [csvError, setCsvError] = useState<ApiError | null>(null);
  const downloadCsv = (e: Event): void => {
    e.preventDefault();
    setCsvError(null);
    api.download(csvPath).catch((err: unknown) => setCsvError(asApiError(err)));
  };
  const data = report.data;
  const isQueueReport = (r: QueueReport | AgentReport): r is QueueReport => 'slSeconds' in r;

  return (
    <div class="stack reports">
      <h1>{t('title')}</h1>
      <form class="card filters row" onSubmit={submit} aria-label={t('filters')}>
        <div class="segmented" role="group" aria-label={t('kind')}>
          <button type="button" aria-pressed={draft.kind === 'queues'} onClick={() => set('kind', 'queues')}>{t('byQueue')}</button>
          <button type="button" aria-pressed={draft.kind === 'agents'} onClick={() => set('kind', 'agents')}>{t('byAgent')}</button>
        </div>
        <label>{t('from')}<input type="date" value={draft.from} max={draft.to} onInput={(e) => set('from', e.currentTarget.value)} required /></label>
        <label>{t('to')}<input type="date" value={draft.to} min={draft.from} onInput={(e) => set('to', e.currentTarget.value)} required /></label>
        <label>{t('interval')}
          <select value={draft.interval} onChange={(e) => set('interval', e.currentTarget.value as ReportInterval)}>
            <option value="hour">{t('hour')}</option><option value="day">{t('day')}</option><option value="week">{t('week')}</option>
          </select>
        </label>
        {draft.kind === 'queues' ? (
          <>
            <label>{t('queue')}
              <select value={draft.queue} onChange={(e) => set('queue', e.currentTarget.value)}>
                <option value="">{t('allQueues')}</option>
                {(queues.data ?? []).map((q) => <option key={q.id} value={q.name}>{q.label}</option>)}
              </select>
            </label>
            <label>{t('slSeconds')}<input type="number" min={1} max={600} value={draft.slSeconds} onInput={(e) => set('slSeconds', Number(e.currentTarget.value))} class="narrow" /></label>
            <label>{t('slTargetPct')}<input type="number" min={1} max={99} value={targetPercent} onInput={(e) => setTargetPercent(Number(e.currentTarget.value) || 90)} class="narrow" /></label>
          </>
        ) : (
          <label>{t('agent')}
            <select value={draft.agent} onChange={(e) => set('agent', e.currentTarget.value)}>
              <option value="">{t('allAgents')}</option>
              {(staff.data ?? []).map((s) => <option key={s.id} value={String(s.id)}>{s.fullName}</option>)}
            </select>
          </label>
        )}
        <button type="submit" class="primary">{t('show')}</button>
        <span class="grow" />
        <a class="button-link" href={csvPath} download onClick={downloadCsv}>{t('csv')}</a>
      </form>
      <ErrorBanner error={report.error ?? queues.error ?? staff.error ?? csvError} />
      {report.loading && !data && <p class="muted" role="status">{t('loading')}</p>}
      {data && (isQueueReport(data)
        ? <QueueReportView report={data} t={t} targetPercent={targetPercent} />
        : <AgentReportView report={data} t={t} />)}
    </div>
  );
}

function Definition(props: { title: string; definition?: string | undefined; num?: boolean }): preact.JSX.Element {
  return <th class={props.num ? 'num' : undefined} title={props.definition} scope="col">{props.title}</th>;
}

function QueueReportView(props: { report: QueueReport; t: T; targetPercent: number }): preact.JSX.Element {
  const { report, t } = props;
  const d = report.definitions;
  const rows = report.rows;
  const totals = useMemo(() => queueTotals(rows), [rows]);
  const byBucket = useMemo(() => [...groupBy(rows, (r) => r.bucketLocal).entries()], [rows]);
  const perBucket = byBucket.map(([bucket, rs]) => ({ bucket, totals: queueTotals(rs) }));
  if (rows.length === 0 || totals.offered === 0) {
    return <p class="card muted empty-state">{t('empty')}</p>;
  }
  const summary: Array<[string, string, string | undefined]> = [
    [t('offered'), String(totals.offered), d.offered], [t('answered'), String(totals.answered), d.answered],
    [t('abandoned'), String(totals.abandoned), d.abandoned], [t('slA'), pct(totals.serviceLevelOfOffered), d.serviceLevelOfOffered],
    [t('slB'), pct(totals.serviceLevelOfAnsweredAndAbandonedAfterSl), d.serviceLevelOfAnsweredAndAbandonedAfterSl],
    [t('asa'), formatDuration(totals.asaMs), d.asaMs], [t('aht'), formatDuration(totals.ahtMs), d.ahtMs],
  ];
  return (
    <>
      <section class="summary-tiles" aria-label={t('summary')}>
        {summary.map(([label, value, definition]) => (
          <div class="tile" key={label} title={definition}><span class="label">{label}</span><span class="value">{value}</span></div>
        ))}
      </section>
      <section class="card">
        <ComboChart
          title={t('callsChart')}
          categories={perBucket.map((b) => bucketShortLabel(b.bucket, report.interval))}
          leftLabel={t('calls')} rightLabel={t('serviceLevel')} rightMax={100}
          formatRight={(v) => `${v} %`}
          series={[
            { name: t('answered'), kind: 'bar', stack: 'calls', color: 'var(--talking)', values: perBucket.map((b) => b.totals.answered) },
            { name: t('abandoned'), kind: 'bar', stack: 'calls', color: 'var(--bad)', values: perBucket.map((b) => b.totals.abandoned) },
            { name: t('slA'), kind: 'line', axis: 'right', color: 'var(--ok)', values: perBucket.map((b) => (b.totals.serviceLevelOfOffered === null ? null : Math.round(b.totals.serviceLevelOfOffered * 1000) / 10)) },
            { name: t('target', { percent: props.targetPercent }), kind: 'line', axis: 'right', dashed: true, color: 'var(--warn)', values: perBucket.map(() => props.targetPercent) },
          ]}
        />
      </section>
      <section class="card table-card" aria-label={t('figures')}>
        <p class="muted small">{t('timeZone', { zone: report.timeZone })}</p>
        <div class="table-scroll">
          <table class="report-table">
            <thead>
              <tr>
                <Definition title={t('bucket')} /><Definition title={t('queue')} />
                <Definition num title={t('offered')} definition={d.offered} /><Definition num title={t('answered')} definition={d.answered} />
                <Definition num title={t('abandoned')} definition={d.abandoned} /><Definition num title={t('slA')} definition={d.serviceLevelOfOffered} />
                <Definition num title={t('slB')} definition={d.serviceLevelOfAnsweredAndAbandonedAfterSl} /><Definition num title={t('asa')} definition={d.asaMs} />
                <Definition num title={t('aht')} definition={d.ahtMs} /><Definition num title={t('talk')} definition={d.talkMs} />
                <Definition num title={t('hold')} definition={d.holdMs} /><Definition num title={t('wrapUp')} definition={d.wrapUpMs} />
                <Definition num title={t('longestWait')} definition={d.longestWaitMs} /><Definition num title={t('overflowed')} definition={d.overflowed} />
                <Definition num title={t('callbacks')} definition={d.callbacksRequested} />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => <QueueRowView key={`${r.bucketStart}|${r.queue}`} row={r} label={bucketLabel(r.bucketLocal, report.interval)} queue={r.queue} />)}
            </tbody>
            <tfoot>
              <QueueRowView row={totals} label={t('total')} queue="" />
            </tfoot>
          </table>
        </div>
      </section>
    </>
  );
}

function QueueRowView(props: { row: QueueReportRow; label: string; queue: string }): preact.JSX.Element {
  const r = props.row;
  return (
    <tr data-queue={props.queue || undefined} data-bucket={r.bucketLocal || undefined}>
      <td>{props.label}</td><td>{props.queue}</td>
      <td class="num" data-field="offered">{r.offered}</td><td class="num" data-field="answered">{r.answered}</td>
      <td class="num" data-field="abandoned">{r.abandoned}</td>
      <td class="num" data-field="serviceLevelOfOffered">{pct(r.serviceLevelOfOffered)}</td>
      <td class="num" data-field="serviceLevelOfAnsweredAndAbandonedAfterSl">{pct(r.serviceLevelOfAnsweredAndAbandonedAfterSl)}</td>
      <td class="num" data-field="asaMs">{formatDuration(r.asaMs)}</td><td class="num" data-field="ahtMs">{formatDuration(r.ahtMs)}</td>
      <td class="num" data-field="talkMs">{formatDuration(r.talkMs)}</td><td class="num" data-field="holdMs">{formatDuration(r.holdMs)}</td>
      <td class="num" data-field="wrapUpMs">{formatDuration(r.wrapUpMs)}</td><td class="num" data-field="longestWaitMs">{formatDuration(r.longestWaitMs)}</td>
      <td class="num" data-field="overflowed">{r.overflowed}</td><td class="num" data-field="callbacksRequested">{r.callbacksRequested}</td>
    </tr>
  );
}

function AgentReportView(props: { report: AgentReport; t: T }): preact.JSX.Element {
  const { report, t } = props;
  const d = report.definitions;
  const rows = report.rows;
  const totals = useMemo(() => agentTotals(rows), [rows]);
  const perBucket = useMemo(() => [...groupBy(rows, (r) => r.bucketLocal).entries()].map(([bucket, rs]) => ({ bucket, totals: agentTotals(rs) })), [rows]);
  const perAgent = useMemo(() => [...groupBy(rows, (r) => String(r.agentId)).values()].map((rs) => ({
    name: rs[0]?.agentName ?? `#${rs[0]?.agentId ?? '?'} ${t('removed')}`, totals: agentTotals(rs),
  })), [rows]);
  if (rows.length === 0) return <p class="card muted empty-state">{t('empty')}</p>;
  return (
    <>
      <div class="chart-pair">
        <section class="card">
          <ComboChart
            title={t('agentChart')}
            categories={perBucket.map((b) => bucketShortLabel(b.bucket, report.interval))}
            leftLabel={t('calls')} rightLabel={t('occupancy')} rightMax={100} formatRight={(v) => `${v} %`}
            series={[
              { name: t('handled'), kind: 'bar', color: 'var(--talking)', values: perBucket.map((b) => b.totals.handled) },
              { name: t('missed'), kind: 'bar', color: 'var(--bad)', values: perBucket.map((b) => b.totals.missed) },
              { name: t('occupancy'), kind: 'line', axis: 'right', color: 'var(--wrap)', values: perBucket.map((b) => (b.totals.occupancy === null ? null : Math.round(b.totals.occupancy * 1000) / 10)) },
            ]}
          />
        </section>
        <section class="card">
          <h2>{t('occupancyChart')}</h2>
          <HorizontalBars title={t('occupancyChart')} max={100} format={(v) => `${v.toFixed(1)} %`}
            items={perAgent.map((a) => ({ label: a.name, value: (a.totals.occupancy ?? 0) * 100, color: 'var(--wrap)' }))} />
          <h2>{t('handledChart')}</h2>
          <HorizontalBars title={t('handledChart')} format={(v) => String(v)} items={perAgent.map((a) => ({ label: a.name, value: a.totals.handled, color: 'var(--talking)' }))} />
        </section>
      </div>
      <section class="card table-card" aria-label={t('figures')}>
        <p class="muted small">{t('timeZone', { zone: report.timeZone })}</p>
        <div class="table-scroll">
          <table class="report-table">
            <thead>
              <tr>
                <Definition title={t('bucket')} /><Definition title={t('agent')} />
                <Definition num title={t('handled')} definition={d.handled} /><Definition num title={t('missed')} definition={d.missed} />
                <Definition num title={t('talk')} definition={d.talkMs} /><Definition num title={t('hold')} definition={d.holdMs} />
                <Definition num title={t('wrapUp')} definition={d.wrapUpMs} /><Definition num title={t('ready')} definition={d.readyMs} />
                <Definition num title={t('notReady')} definition={d.notReadyMs} /><Definition num title={t('occupancy')} definition={d.occupancy} />
                <Definition num title={t('aht')} definition={d.ahtMs} />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => <AgentRowView key={`${r.bucketStart}|${r.agentId}`} row={r} label={bucketLabel(r.bucketLocal, report.interval)} name={r.agentName ?? `#${r.agentId} ${t('removed')}`} />)}
            </tbody>
            <tfoot><AgentRowView row={totals} label={t('total')} name="" /></tfoot>
          </table>
        </div>
      </section>
    </>
  );
}

function AgentRowView(props: { row: AgentReportRow; label: string; name: string }): preact.JSX.Element {
  const r = props.row;
  return (
    <tr data-agent={props.name || undefined} data-bucket={r.bucketLocal || undefined}>
      <td>{props.label}</td><td>{props.name}</td>
      <td class="num" data-field="handled">{r.handled}</td><td class="num" data-field="missed">{r.missed}</td>
      <td class="num" data-field="talkMs">{formatDuration(r.talkMs)}</td><td class="num" data-field="holdMs">{formatDuration(r.holdMs)}</td>
      <td class="num" data-field="wrapUpMs">{formatDuration(r.wrapUpMs)}</td><td class="num" data-field="readyMs">{formatDuration(r.readyMs)}</td>
      <td class="num" data-field="notReadyMs">{formatDuration(r.notReadyMs)}</td><td class="num" data-field="occupancy">{pct(r.occupancy)}</td>
      <td class="num" data-field="ahtMs">{formatDuration(r.ahtMs)}</td>
    </tr>
  );
}
