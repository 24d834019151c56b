import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../shared/components';
import { useAsync } from '../../shared/hooks';
import { navigate } from '../../shared/hash-route';
import { formatPercent, translator } from '../../shared/i18n';
import type { AdminPageProps } from '../pages';
import { ComboChart, type ChartSeries } from '../supervisor/charts';
import { qualityApi } from './quality-api';
import { dayStart, reportCriteria, trendSeries } from './quality-view';

const useT = translator({
  en: {
    title: 'Quality results', filters: 'Report filters', from: 'From', to: 'To', form: 'Form', anyForm: 'all forms', bucket: 'Per', week: 'week', day: 'day',
    show: 'Show', trend: 'Average score per agent', table: 'Per agent and period', agent: 'Agent', period: 'Period from', evaluations: 'Evaluations',
    average: 'Average %', passRate: 'Pass rate', none: 'No evaluations in this period.', loading: 'Loading…', percent: '% of the maximum',
    summary: 'Average weighted total per agent and {bucket}, {n} agent(s).',
  },
  ru: {
    title: 'Итоги оценок', filters: 'Фильтры отчёта', from: 'С', to: 'По', form: 'Форма', anyForm: 'все формы', bucket: 'По', week: 'неделям', day: 'дням',
    show: 'Показать', trend: 'Средняя оценка по операторам', table: 'По операторам и периодам', agent: 'Оператор', period: 'Период с', evaluations: 'Оценок',
    average: 'Средний %', passRate: 'Доля зачётов', none: 'За этот период оценок нет.', loading: 'Загрузка…', percent: '% от максимума',
    summary: 'Средний взвешенный итог по операторам и {bucket}, операторов: {n}.',
  },
});

const COLORS = ['#0b5cad', '#1a7f37', '#b35900', '#8250df', '#c62828', '#0a7b83', '#6e7781'];

function isoDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** #/quality-reports?from&to&form&bucket — evaluations, average, pass rate and per-criterion averages per agent over time. */
export function QualityReportsPage(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const q = props.route.query;
  const today = new Date();
  const from = q.get('from') ?? isoDay(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 55));
  const to = q.get('to') ?? isoDay(today);
  const form = q.get('form') ?? '';
  const bucket = q.get('bucket') === 'day' ? 'day' : 'week';
  const [draft, setDraft] = useState({ from, to, form, bucket });
  const forms = useAsync(() => qualityApi.forms(), []);
  const query = new URLSearchParams({ from: dayStart(from) ?? '', to: dayStart(to, true) ?? '', bucket, ...(form ? { form } : {}) }).toString();
  const report = useAsync(() => qualityApi.reports(query), [query]);
  const rows = report.data?.rows ?? [];
  const trend = trendSeries(rows);
  const criteria = reportCriteria(rows);
  const series: ChartSeries[] = trend.agents.map((a, i) => ({ name: a.agentName, values: a.values, color: COLORS[i % COLORS.length] ?? '#444', kind: 'line' }));

  return (
    <div class="stack quality-reports">
      <h1>{t('title')}</h1>
      <form class="card row filters" aria-label={t('filters')} onSubmit={(e) => { e.preventDefault(); navigate(`quality-reports?${new URLSearchParams(draft).toString()}`); }}>
        <label class="field">{t('from')}<input type="date" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} /></label>
        <label class="field">{t('to')}<input type="date" value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} /></label>
        <label class="field">{t('form')}
          <select aria-label={t('form')} value={draft.form} onChange={(e) => setDraft({ ...draft, form: e.currentTarget.value })}>
            <option value="">{t('anyForm')}</option>
            {(forms.data?.items ?? []).map((f) => <option key={f.code} value={f.code}>{f.name}</option>)}
          </select>
        </label>
        <label class="field">{t('bucket')}
          <select aria-label={t('bucket')} value={draft.bucket} onChange={(e) => setDraft({ ...draft, bucket: e.currentTarget.value === 'day' ? 'day' : 'week' })}>
            <option value="week">{t('week')}</option>
            <option value="day">{t('day')}</option>
          </select>
        </label>
        <button type="submit" class="primary">{t('show')}</button>
      </form>
      <ErrorBanner error={report.error ?? forms.error} />
      {report.loading && !report.data ? <p class="muted" role="status">{t('loading')}</p> : rows.length === 0 ? <p class="muted">{t('none')}</p> : (
        <>
          <section class="card" aria-label={t('trend')}>
            <h2>{t('trend')}</h2>
            <ComboChart title={t('trend')} categories={trend.buckets} series={series} leftLabel={t('percent')} leftMax={100}
              formatLeft={(v) => `${v}`} summary={t('summary', { bucket: t(bucket), n: trend.agents.length })} />
          </section>
          <section class="card" aria-label={t('table')}>
            <h2>{t('table')}</h2>
            <div class="table-scroll">
              <table class="quality-report-table">
                <thead>
                  <tr>
                    <th>{t('agent')}</th><th>{t('period')}</th><th class="num">{t('evaluations')}</th><th class="num">{t('average')}</th><th class="num">{t('passRate')}</th>
                    {criteria.map((c) => <th key={c.criterionId} class="num">{c.label}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={`${r.agentId}:${r.bucketStart}`} data-agent={r.agentName ?? ''} data-bucket={r.bucketStart.slice(0, 10)}>
                      <td>{r.agentName ?? '—'}</td>
                      <td>{r.bucketStart.slice(0, 10)}</td>
                      <td class="num" data-field="evaluations">{r.evaluations}</td>
                      <td class="num" data-field="average">{r.averagePercent.toFixed(1)} %</td>
                      <td class="num" data-field="passRate">{formatPercent(r.passRate)}</td>
                      {criteria.map((c) => {
                        const v = r.criteria.find((x) => x.criterionId === c.criterionId)?.averagePercentOfMax;
                        return <td key={c.criterionId} class="num" data-field={`criterion-${c.criterionId}`}>{v === undefined ? '—' : `${v.toFixed(1)} %`}</td>;
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
