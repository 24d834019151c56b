import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError } from '../../../shared/hooks';
import { currentLocale, translator } from '../../../shared/i18n';
import type { StaffingPlan } from '../../../../api/schemas/staffing-schemas';
import type { AdminPageProps } from '../../pages';
import { ComboChart } from '../charts';
import { PEAK_DAY_CALLS, spreadOverDay, type ForecastInterval } from './forecast-presets';

const useT = translator({
  en: {
    title: 'Staffing planner', forecast: 'Forecast', parameters: 'Parameters', intervalMinutes: 'Interval length, min', aht: 'Average handle time, s',
    slPercent: 'Service level target, %', slSeconds: 'Answered within, s', shrinkage: 'Shrinkage, %', headcount: 'Headcount per interval (optional)',
    peakPreset: 'Peak day: 16,000 calls over 24 hours', examplePreset: 'Example: 100 calls in 30 minutes', addRow: 'Add interval', removeRow: 'Remove interval {start}',
    start: 'Interval start', calls: 'Calls', calculate: 'Calculate', calculating: 'Calculating…', results: 'Plan', traffic: 'Traffic, Erl',
    needed: 'Agents needed', withShrinkage: 'To schedule', expectedSl: 'Expected SL', asa: 'ASA', occupancy: 'Occupancy', pWait: 'P(wait)',
    meets: 'Meets target', yes: 'yes', no: 'no', totalCalls: 'Calls in the forecast', peakNeeded: 'Peak agents needed', peakSchedule: 'Peak to schedule',
    intervalsMet: 'Intervals meeting the target', chart: 'Calls and agents needed per interval', agents: 'Agents', unstable: 'unstable',
    evaluated: 'Figures for', evaluatedHint: 'agents on the phones', hint: 'Erlang C: agents needed so that the target share of calls is answered within the threshold. Edit the calls per interval, then Calculate.',
    callsOf: 'Calls in interval {start}', sec: 's', startShort: 'Start', startOf: 'Start of interval {n}', atPeak: 'at {start}', total: 'Total', forecastTable: 'Forecast intervals',
  },
  ru: {
    title: 'Планирование персонала', forecast: 'Прогноз', parameters: 'Параметры', intervalMinutes: 'Длина интервала, мин', aht: 'Среднее время обработки, с',
    slPercent: 'Цель уровня сервиса, %', slSeconds: 'Ответ в течение, с', shrinkage: 'Потери времени (shrinkage), %', headcount: 'Операторов на интервал (необязательно)',
    peakPreset: 'Пиковый день: 16 000 звонков за сутки', examplePreset: 'Пример: 100 звонков за 30 минут', addRow: 'Добавить интервал', removeRow: 'Удалить интервал {start}',
    start: 'Начало интервала', calls: 'Звонки', calculate: 'Рассчитать', calculating: 'Расчёт…', results: 'План', traffic: 'Нагрузка, Эрл',
    needed: 'Нужно операторов', withShrinkage: 'В график', expectedSl: 'Ожидаемый УС', asa: 'Ср. время ответа', occupancy: 'Занятость', pWait: 'P(ожидания)',
    meets: 'Цель достигнута', yes: 'да', no: 'нет', totalCalls: 'Звонков в прогнозе', peakNeeded: 'Пик: нужно операторов', peakSchedule: 'Пик: в график',
    intervalsMet: 'Интервалов с достигнутой целью', chart: 'Звонки и нужное число операторов по интервалам', agents: 'Операторы', unstable: 'очередь растёт',
    evaluated: 'Показатели для', evaluatedHint: 'операторов на линии', hint: 'Эрланг C: сколько операторов нужно, чтобы заданная доля звонков была отвечена в срок. Измените прогноз и нажмите «Рассчитать».',
    callsOf: 'Звонков в интервале {start}', sec: 'с', startShort: 'Начало', startOf: 'Начало интервала {n}', atPeak: 'в {start}', total: 'Итого', forecastTable: 'Интервалы прогноза',
  },
});

interface PlanParameters {
  intervalMinutes: number;
  ahtSeconds: number;
  slPercent: number;
  slSeconds: number;
  shrinkagePercent: number;
  /** Blank: the figures are for the agents needed. */
  headcount: string;
}

const DEFAULT_PARAMETERS: PlanParameters = { intervalMinutes: 60, ahtSeconds: 180, slPercent: 90, slSeconds: 20, shrinkagePercent: 30, headcount: '' };

const fixed = (v: number, digits: number): string =>
  v.toLocaleString(currentLocale() === 'ru' ? 'ru-RU' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Erlang C staffing from a forecast: agents needed per interval, and what a given headcount achieves (issue 7). */
export function StaffingPage(_props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const [rows, setRows] = useState<ForecastInterval[]>(() => spreadOverDay(PEAK_DAY_CALLS));
  const [params, setParams] = useState<PlanParameters>(DEFAULT_PARAMETERS);
  const [plan, setPlan] = useState<StaffingPlan | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const calculate = async (): Promise<void> => {
    setBusy(true);
    try {
      const headcount = params.headcount.trim() === '' ? undefined : Number(params.headcount);
      const result = await api.post<StaffingPlan>('/api/staffing/plan', {
        intervals: rows.map((r) => ({ start: r.start || '—', calls: r.calls })),
        intervalMinutes: params.intervalMinutes, ahtSeconds: params.ahtSeconds, slPercent: params.slPercent, slSeconds: params.slSeconds,
        shrinkagePercent: params.shrinkagePercent,
        ...(headcount !== undefined ? { headcount } : {}),
      });
      setPlan(result);
      setError(null);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  // The first plan is for the preset the page opens with, so there is something to read straight away.
  useEffect(() => { void calculate(); }, []);

  const setParam = <K extends keyof PlanParameters>(key: K, value: PlanParameters[K]): void => setParams((p) => ({ ...p, [key]: value }));
  const setRow = (i: number, change: Partial<ForecastInterval>): void => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const number = (key: 'ahtSeconds' | 'slPercent' | 'slSeconds' | 'shrinkagePercent', min: number, max: number, step = 1): preact.JSX.Element => (
    <label>{t(key === 'ahtSeconds' ? 'aht' : key === 'shrinkagePercent' ? 'shrinkage' : key)}
      <input type="number" name={key} min={min} max={max} step={step} value={params[key]} onInput={(e) => setParam(key, Number(e.currentTarget.value))} required />
    </label>
  );

  const peakPreset = (): void => {
    setRows(spreadOverDay(PEAK_DAY_CALLS));
    setParam('intervalMinutes', 60);
  };
  const examplePreset = (): void => {
    setRows([{ start: '09:00', calls: 100 }]);
    setParams((p) => ({ ...p, intervalMinutes: 30, ahtSeconds: 180, slPercent: 80, slSeconds: 20, shrinkagePercent: 0, headcount: '' }));
  };

  const totalForecast = rows.reduce((n, r) => n + (Number.isFinite(r.calls) ? r.calls : 0), 0);
  const withHeadcount = plan?.intervals.some((i) => i.meetsTarget !== undefined) ?? false;

  return (
    <div class="stack staffing">
      <h1>{t('title')}</h1>
      <p class="muted">{t('hint')}</p>
      <div class="staffing-layout">
        <form class="card stack" onSubmit={(e) => { e.preventDefault(); void calculate(); }} aria-label={t('parameters')}>
          <h2>{t('parameters')}</h2>
          <label>{t('intervalMinutes')}
            <select name="intervalMinutes" value={String(params.intervalMinutes)} onChange={(e) => setParam('intervalMinutes', Number(e.currentTarget.value))}>
              {[15, 30, 60].map((m) => <option key={m} value={String(m)}>{m}</option>)}
            </select>
          </label>
          {number('ahtSeconds', 1, 36000)}
          {number('slPercent', 1, 99, 0.1)}
          {number('slSeconds', 0, 3600)}
          {number('shrinkagePercent', 0, 95)}
          <label>{t('headcount')}
            <input type="number" name="headcount" min={0} value={params.headcount} onInput={(e) => setParam('headcount', e.currentTarget.value)} />
          </label>
          <button type="submit" class="primary" disabled={busy}>{busy ? t('calculating') : t('calculate')}</button>
          <hr />
          <button type="button" onClick={peakPreset}>{t('peakPreset')}</button>
          <button type="button" onClick={examplePreset}>{t('examplePreset')}</button>
        </form>
        <section class="card stack forecast" aria-label={t('forecast')}>
          <div class="row"><h2 class="grow">{t('forecast')}</h2><span class="muted">{t('total')}: {fixed(totalForecast, 0)}</span></div>
          <div class="table-scroll forecast-scroll">
            <table aria-label={t('forecastTable')}>
              <thead><tr><th>{t('startShort')}</th><th class="num">{t('calls')}</th><th><span class="visually-hidden">{t('removeRow', { start: '' })}</span></th></tr></thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    <td><input class="cell" value={r.start} aria-label={t('startOf', { n: i + 1 })} onInput={(e) => setRow(i, { start: e.currentTarget.value })} /></td>
                    <td class="num"><input class="cell num" type="number" min={0} value={r.calls} aria-label={t('callsOf', { start: r.start || String(i + 1) })} onInput={(e) => setRow(i, { calls: Number(e.currentTarget.value) })} /></td>
                    <td><button type="button" class="link" aria-label={t('removeRow', { start: r.start || String(i + 1) })} disabled={rows.length <= 1} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>✕</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="button" onClick={() => setRows((rs) => [...rs, { start: '', calls: 0 }])}>{t('addRow')}</button>
        </section>
        <div class="stack staffing-results">
          <ErrorBanner error={error} onDismiss={() => setError(null)} />
          {plan && (
            <>
              <section class="summary-tiles" aria-label={t('results')}>
                <div class="tile"><span class="label">{t('totalCalls')}</span><span class="value" data-figure="totalCalls">{fixed(plan.totalCalls, 0)}</span></div>
                <div class="tile"><span class="label">{t('peakNeeded')}</span><span class="value" data-figure="peakNeeded">{plan.peak.agentsNeeded}</span>
                  {plan.peak.start && <span class="muted small">{t('atPeak', { start: plan.peak.start })}</span>}</div>
                <div class="tile"><span class="label">{t('peakSchedule')}</span><span class="value" data-figure="peakSchedule">{plan.peak.withShrinkage}</span></div>
                {withHeadcount && (
                  <div class="tile"><span class="label">{t('intervalsMet')}</span>
                    <span class="value">{plan.intervals.filter((i) => i.meetsTarget).length} / {plan.intervals.length}</span></div>
                )}
              </section>
              {plan.intervals.length > 1 && (
                <section class="card">
                  <ComboChart
                    title={t('chart')} categories={plan.intervals.map((i) => i.start)} leftLabel={t('calls')} rightLabel={t('agents')}
                    series={[
                      { name: t('calls'), kind: 'bar', color: '#9db8e0', values: plan.intervals.map((i) => i.calls) },
                      { name: t('needed'), kind: 'line', axis: 'right', color: 'var(--talking)', values: plan.intervals.map((i) => i.agentsNeeded) },
                      { name: t('withShrinkage'), kind: 'line', axis: 'right', color: 'var(--wrap)', dashed: true, values: plan.intervals.map((i) => i.withShrinkage) },
                      ...(withHeadcount ? [{ name: t('headcount'), kind: 'line' as const, axis: 'right' as const, color: 'var(--bad)', dashed: true, values: plan.intervals.map(() => Number(params.headcount)) }] : []),
                    ]}
                  />
                </section>
              )}
            </>
          )}
        </div>
      </div>
      {plan && (
        <>
          <section class="card table-card" aria-label={t('results')}>
            <div class="table-scroll">
              <table class="plan-table">
                <thead>
                  <tr>
                    <th>{t('start')}</th><th class="num">{t('calls')}</th><th class="num">{t('traffic')}</th><th class="num">{t('needed')}</th>
                    <th class="num">{t('withShrinkage')}</th>
                    {withHeadcount && <th class="num" title={t('evaluatedHint')}>{t('evaluated')}</th>}
                    <th class="num">{t('expectedSl')}</th><th class="num">{t('asa')}</th><th class="num">{t('occupancy')}</th><th class="num">{t('pWait')}</th>
                    {withHeadcount && <th>{t('meets')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {plan.intervals.map((i, n) => (
                    <tr key={n} data-interval={i.start}>
                      <td>{i.start}</td>
                      <td class="num" data-field="calls">{fixed(i.calls, 0)}</td>
                      <td class="num" data-field="trafficErlangs">{fixed(i.trafficErlangs, 2)}</td>
                      <td class="num strong" data-field="agentsNeeded">{i.agentsNeeded}</td>
                      <td class="num" data-field="withShrinkage">{i.withShrinkage}</td>
                      {withHeadcount && <td class="num" data-field="agentsEvaluated">{i.agentsEvaluated ?? '—'}</td>}
                      <td class="num" data-field="expectedSl">{fixed(i.expectedSl, 1)} %</td>
                      <td class="num" data-field="asaSeconds">{i.asaSeconds === null ? t('unstable') : `${fixed(i.asaSeconds, 1)} ${t('sec')}`}</td>
                      <td class="num" data-field="occupancy">{fixed(i.occupancy, 1)} %</td>
                      <td class="num" data-field="pWait">{fixed(i.pWait * 100, 1)} %</td>
                      {withHeadcount && <td><span class={`badge ${i.meetsTarget ? 'ok' : 'bad'}`}>{i.meetsTarget ? t('yes') : t('no')}</span></td>}
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
