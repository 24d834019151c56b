import { useState } from 'preact/hooks';
import { api, type ApiError } from '../shared/api-client';
import { ErrorBanner } from '../shared/components';
import { asApiError, useAsync } from '../shared/hooks';
import { formatDateTime, formatDuration, translator } from '../shared/i18n';
import type { Evaluation } from '../admin/quality/quality-api';

/*
 * "My evaluations" in the softphone (issue 18 point 4): an agent reads how
 * the quality reviewers scored the calls they took — total, pass or fail,
 * each criterion, the comments at their time in the call, the summary — and
 * acknowledges having read it.
 */

const useT = translator({
  en: {
    title: 'My evaluations', none: 'None of your calls has been evaluated yet.', date: 'Date', form: 'Form', total: 'Total', result: 'Result',
    passed: 'Passed', failed: 'Failed', critical: 'critical criterion failed', open: 'Open evaluation of {date}', close: 'Close', toRead: 'new',
    criterion: 'Criterion', score: 'Score', note: 'Note', comments: 'Comments', noComments: 'No comments.', summary: 'Summary', by: 'Evaluated by {name}',
    acknowledge: 'Acknowledge', acknowledged: 'Acknowledged {date}', detail: 'Evaluation of {date}', atTime: 'at {at} into the call', loading: 'Loading…',
  },
  ru: {
    title: 'Мои оценки', none: 'Ваши звонки ещё не оценивались.', date: 'Дата', form: 'Форма', total: 'Итог', result: 'Результат',
    passed: 'Зачёт', failed: 'Незачёт', critical: 'провален критичный критерий', open: 'Открыть оценку от {date}', close: 'Закрыть', toRead: 'новая',
    criterion: 'Критерий', score: 'Балл', note: 'Заметка', comments: 'Комментарии', noComments: 'Комментариев нет.', summary: 'Итоговый комментарий', by: 'Оценил(а) {name}',
    acknowledge: 'Ознакомлен(а)', acknowledged: 'Ознакомлен(а) {date}', detail: 'Оценка от {date}', atTime: 'на {at} разговора', loading: 'Загрузка…',
  },
});

const myEvaluationsApi = {
  list: () => api.get<{ items: Evaluation[] }>('/api/my/evaluations'),
  acknowledge: (id: string) => api.post<Evaluation>(`/api/my/evaluations/${encodeURIComponent(id)}/acknowledge`),
};

/** The list of my evaluated calls, newest first; one opens below it with its scores and comments. */
export function MyEvaluationsPanel(): preact.JSX.Element {
  const t = useT();
  const list = useAsync(() => myEvaluationsApi.list(), []);
  const [openId, setOpenId] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const open = items.find((e) => String(e.id) === openId) ?? null;
  return (
    <section class="card sp-work my-evaluations" aria-label={t('title')}>
      <h2>{t('title')}</h2>
      <ErrorBanner error={list.error} onDismiss={list.reload} />
      {list.loading && !list.data ? <p class="muted">{t('loading')}</p> : items.length === 0 ? <p class="muted">{t('none')}</p> : (
        <table class="sp-table" aria-label={t('title')}>
          <thead><tr><th>{t('date')}</th><th>{t('form')}</th><th class="num">{t('total')}</th><th>{t('result')}</th><th /></tr></thead>
          <tbody>
            {items.map((e) => (
              <tr key={String(e.id)} data-evaluation={String(e.id)} aria-selected={String(e.id) === openId}>
                <td>{formatDateTime(e.createdAt)}{!e.acknowledgedAt && <> <span class="badge warn-badge">{t('toRead')}</span></>}</td>
                <td>{e.formName}</td>
                <td class="num" data-field="total">{e.totalPercent.toFixed(1)} %</td>
                <td data-field="result"><span class={`badge ${e.passed ? 'ok' : 'bad'}`}>{e.passed ? t('passed') : t('failed')}</span></td>
                <td><button type="button" class="link" aria-label={t('open', { date: formatDateTime(e.createdAt) })}
                  onClick={() => setOpenId(String(e.id) === openId ? null : String(e.id))}>{String(e.id) === openId ? t('close') : '›'}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <EvaluationDetail key={String(open.id)} evaluation={open} onAcknowledged={list.reload} />}
    </section>
  );
}

function EvaluationDetail(props: { evaluation: Evaluation; onAcknowledged: () => void }): preact.JSX.Element {
  const t = useT();
  const [evaluation, setEvaluation] = useState(props.evaluation);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const e = evaluation;
  const acknowledge = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setEvaluation(await myEvaluationsApi.acknowledge(String(e.id)));
      props.onAcknowledged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article class="stack my-evaluation" aria-label={t('detail', { date: formatDateTime(e.createdAt) })}>
      <h3>{t('detail', { date: formatDateTime(e.createdAt) })} — {e.formName}</h3>
      <p>
        <strong data-field="total">{t('total')}: {e.totalPercent.toFixed(1)} %</strong>{' '}
        <span class={`badge ${e.passed ? 'ok' : 'bad'}`}>{e.passed ? t('passed') : t('failed')}</span>
        {e.criticalFailed && <> <span class="badge bad">{t('critical')}</span></>}
        <span class="muted small"> · {t('by', { name: e.evaluatorName })}</span>
      </p>
      <table class="sp-table" aria-label={t('score')}>
        <thead><tr><th>{t('criterion')}</th><th class="num">{t('score')}</th><th>{t('note')}</th></tr></thead>
        <tbody>
          {e.scores.map((s) => (
            <tr key={s.criterionId} data-criterion={s.criterionId}>
              <td>{s.label}</td>
              <td class="num">{s.score} / {s.maxScore}</td>
              <td>{s.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>{t('comments')}</h4>
      {e.comments.length === 0 ? <p class="muted">{t('noComments')}</p> : (
        <ul class="plain" aria-label={t('comments')}>
          {[...e.comments].sort((a, b) => a.atSeconds - b.atSeconds).map((c) => (
            <li key={String(c.id)}>
              <span class="badge" title={t('atTime', { at: formatDuration(c.atSeconds * 1000) })}>{formatDuration(c.atSeconds * 1000)}</span> {c.text}
              <span class="muted small"> — {c.authorName}</span>
            </li>
          ))}
        </ul>
      )}
      {e.summary && (<><h4>{t('summary')}</h4><p class="evaluation-summary">{e.summary}</p></>)}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {e.acknowledgedAt
        ? <p class="muted" role="status">{t('acknowledged', { date: formatDateTime(e.acknowledgedAt) })}</p>
        : <button type="button" class="primary" disabled={busy} onClick={() => void acknowledge()}>{t('acknowledge')}</button>}
    </article>
  );
}
