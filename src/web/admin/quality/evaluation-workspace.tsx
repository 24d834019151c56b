import { useEffect, useState } from 'preact/hooks';
import { api } from '../../shared/api-client';
import { ErrorBanner } from '../../shared/components';
import { asApiError, useAsync } from '../../shared/hooks';
import { navigate } from '../../shared/hash-route';
import { formatDateTime, formatDuration, translator } from '../../shared/i18n';
import type { ApiError } from '../../shared/api-client';
import type { StoredCallView } from '../../../api/schemas/call-schemas';
import { RecordingPlayer } from '../supervisor/call-log/recording-player';
import { qualityApi, type Evaluation, type EvaluationInput, type QualityForm } from './quality-api';
import { previewScore } from './quality-view';

const useT = translator({
  en: {
    back: '← Back to the calls', title: 'Evaluate the call from {number}', loading: 'Loading…', call: 'Call', started: 'Started', agent: 'Agent', queue: 'Queue', talk: 'Talk',
    recording: 'Recording', noRecording: 'This call has no recording to listen to.', form: 'Form', scoring: 'Scores', note: 'Note on {label}', critical: 'critical',
    comments: 'Comments', noComments: 'No comments yet.', commentText: 'Comment', commentHere: 'Comment at {at}', jump: 'Play from {at}', by: '{name}',
    summary: 'Summary', save: 'Save evaluation', saving: 'Saving…', preview: 'Preview: {percent} %', missing: '{n} criterion(s) still to score',
    saved: 'Saved', total: 'Total {percent} %', passed: 'Passed', failed: 'Failed', criticalFailed: 'Critical criterion failed', passMark: 'pass mark {mark} %',
    existing: 'Evaluations of this call', open: 'Open', editing: 'Editing the evaluation by {name} of {date}', newEvaluation: 'New evaluation',
    evaluatedBy: '{name}, {date}: {percent} %', removeComment: 'Remove comment at {at}', acknowledged: 'Acknowledged by the agent {date}',
  },
  ru: {
    back: '← К списку звонков', title: 'Оценка звонка с {number}', loading: 'Загрузка…', call: 'Звонок', started: 'Начало', agent: 'Оператор', queue: 'Очередь', talk: 'Разговор',
    recording: 'Запись', noRecording: 'У этого звонка нет записи.', form: 'Форма', scoring: 'Оценки', note: 'Заметка: {label}', critical: 'критичный',
    comments: 'Комментарии', noComments: 'Комментариев пока нет.', commentText: 'Комментарий', commentHere: 'Комментарий на {at}', jump: 'Слушать с {at}', by: '{name}',
    summary: 'Итоговый комментарий', save: 'Сохранить оценку', saving: 'Сохранение…', preview: 'Предварительно: {percent} %', missing: 'осталось оценить критериев: {n}',
    saved: 'Сохранено', total: 'Итог {percent} %', passed: 'Зачёт', failed: 'Незачёт', criticalFailed: 'Провален критичный критерий', passMark: 'проходной балл {mark} %',
    existing: 'Оценки этого звонка', open: 'Открыть', editing: 'Правка оценки: {name}, {date}', newEvaluation: 'Новая оценка',
    evaluatedBy: '{name}, {date}: {percent} %', removeComment: 'Удалить комментарий на {at}', acknowledged: 'Оператор ознакомился {date}',
  },
});

/** What the workspace reads of the stored call (`GET /api/calls/:id`). */
type CallFacts = Pick<StoredCallView, 'id' | 'callerNumber' | 'startedAt' | 'queueName' | 'agentId' | 'agentNames' | 'talkMs' | 'recording'>;

interface DraftComment { atSeconds: number; text: string; authorName?: string; key: string }

/** The form an evaluation is scored on: the version it was saved with, or the published one of the chosen form. */
function useFormVersion(code: string, version: number | null): { form: QualityForm | null; version: number | null; error: ApiError | null } {
  const loaded = useAsync(async () => {
    const v = version === null ? await qualityApi.publishedForm(code) : await qualityApi.formVersion(code, version);
    return { form: v.document, version: v.version };
  }, [code, version]);
  return { form: loaded.data?.form ?? null, version: loaded.data?.version ?? null, error: loaded.error };
}

/**
 * One call under review: the two-channel recording, the form as a scoring
 * grid, comments pinned at the play head's time (a click on one plays from
 * there), a summary, and Save. After saving, the total, pass/fail and a
 * critical failure are shown as the server computed them.
 */
export function EvaluationWorkspace(props: { callId: string; evaluationId: string | null; backQuery: string }): preact.JSX.Element {
  const t = useT();
  const call = useAsync(() => api.get<CallFacts>(`/api/calls/${encodeURIComponent(props.callId)}`), [props.callId]);
  const forms = useAsync(() => qualityApi.forms(), []);
  const existing = useAsync(() => (props.evaluationId === null ? Promise.resolve(null) : qualityApi.evaluation(props.evaluationId)), [props.evaluationId]);
  const agentId = call.data?.agentId ?? null;
  const others = useAsync(
    async () => (agentId === null ? [] : (await qualityApi.evaluations(`agentId=${agentId}&limit=200`)).items.filter((e) => e.callId === props.callId)),
    [agentId, props.callId, existing.data?.updatedAt],
  );
  const [formCode, setFormCode] = useState('standard');
  const evaluation = existing.data;
  const code = evaluation?.form ?? formCode;
  const form = useFormVersion(code, evaluation?.formVersion ?? null);

  const [scores, setScores] = useState<Record<string, number | undefined>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [comments, setComments] = useState<DraftComment[]>([]);
  const [summary, setSummary] = useState('');
  const [commentText, setCommentText] = useState('');
  const [position, setPosition] = useState(0);
  const [seekTo, setSeekTo] = useState<{ seconds: number; key: number } | undefined>(undefined);
  const [saved, setSaved] = useState<Evaluation | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  // An evaluation opened for editing fills the grid with what it holds.
  useEffect(() => {
    if (!evaluation) return;
    setScores(Object.fromEntries(evaluation.scores.map((s) => [s.criterionId, s.score])));
    setNotes(Object.fromEntries(evaluation.scores.filter((s) => s.note).map((s) => [s.criterionId, s.note ?? ''])));
    setComments(evaluation.comments.map((c) => ({ atSeconds: c.atSeconds, text: c.text, authorName: c.authorName, key: String(c.id) })));
    setSummary(evaluation.summary ?? '');
    setSaved(evaluation);
  }, [evaluation?.id, evaluation?.updatedAt]);

  const c = call.data;
  const recording = c?.recording && !c.recording.purgedAt ? c.recording : null;
  const preview = form.form ? previewScore(form.form, scores) : null;
  const here = Math.round(position * 10) / 10;

  const save = async (): Promise<void> => {
    if (!form.form || form.version === null) return;
    const input: EvaluationInput = {
      form: code, formVersion: form.version,
      // A criterion left unscored is left out: the server's refusal names it.
      scores: form.form.criteria.flatMap((cr) => {
        const score = scores[cr.id];
        const note = notes[cr.id]?.trim();
        return score === undefined ? [] : [{ criterionId: cr.id, score, ...(note ? { note } : {}) }];
      }),
      comments: comments.map((cm) => ({ atSeconds: cm.atSeconds, text: cm.text })),
      ...(summary.trim() ? { summary: summary.trim() } : {}),
    };
    setSaving(true);
    setError(null);
    try {
      const result = evaluation ? await qualityApi.update(String(evaluation.id), input) : await qualityApi.create(props.callId, input);
      setSaved(result);
      if (!evaluation) navigate(`quality-evaluate/${encodeURIComponent(props.callId)}?evaluation=${encodeURIComponent(String(result.id))}${props.backQuery ? `&back=${encodeURIComponent(props.backQuery)}` : ''}`);
      else existing.reload();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="stack quality-workspace">
      <a href={`#/quality-evaluate${props.backQuery ? `?${props.backQuery}` : ''}`}>{t('back')}</a>
      <ErrorBanner error={call.error ?? existing.error ?? form.error ?? forms.error} />
      {!c ? <p class="muted" role="status">{t('loading')}</p> : (
        <>
          <h1>{t('title', { number: c.callerNumber })}</h1>
          <section class="card" aria-label={t('call')}>
            <dl class="call-facts">
              <div class="call-fact"><dt>{t('started')}</dt><dd>{formatDateTime(c.startedAt)}</dd></div>
              <div class="call-fact"><dt>{t('agent')}</dt><dd data-field="agent">{c.agentNames.join(', ') || '—'}</dd></div>
              <div class="call-fact"><dt>{t('queue')}</dt><dd>{c.queueName ?? '—'}</dd></div>
              <div class="call-fact"><dt>{t('talk')}</dt><dd>{formatDuration(c.talkMs)}</dd></div>
            </dl>
          </section>
          {(others.data ?? []).length > 0 && (
            <section class="card" aria-label={t('existing')}>
              <h2>{t('existing')}</h2>
              <ul class="plain">
                {(others.data ?? []).map((e) => (
                  <li key={String(e.id)}>
                    <a href={`#/quality-evaluate/${encodeURIComponent(props.callId)}?evaluation=${encodeURIComponent(String(e.id))}${props.backQuery ? `&back=${encodeURIComponent(props.backQuery)}` : ''}`}
                      aria-current={String(e.id) === props.evaluationId ? 'page' : undefined}>
                      {t('evaluatedBy', { name: e.evaluatorName, date: formatDateTime(e.createdAt), percent: e.totalPercent.toFixed(1) })}
                    </a>
                  </li>
                ))}
              </ul>
              {evaluation && <a href={`#/quality-evaluate/${encodeURIComponent(props.callId)}${props.backQuery ? `?back=${encodeURIComponent(props.backQuery)}` : ''}`}>{t('newEvaluation')}</a>}
            </section>
          )}
          <section class="card" aria-label={t('recording')}>
            <h2>{t('recording')}</h2>
            {recording
              ? <RecordingPlayer recordingId={recording.id} callId={c.id} sampleRate={recording.sampleRate} channels={recording.channels} durationMs={recording.durationMs}
                onPosition={setPosition} seekTo={seekTo} />
              : <p class="muted">{t('noRecording')}</p>}
          </section>
          <div class="detail-columns">
            <section class="card" aria-label={t('scoring')}>
              <div class="row">
                <h2 class="grow">{t('scoring')}</h2>
                {evaluation ? <span class="muted">{t('editing', { name: evaluation.evaluatorName, date: formatDateTime(evaluation.createdAt) })}</span> : (
                  <label class="field">{t('form')}
                    <select aria-label={t('form')} value={formCode} onChange={(e) => { setFormCode(e.currentTarget.value); setScores({}); }}>
                      {(forms.data?.items ?? []).filter((f) => f.publishedVersion !== null).map((f) => <option key={f.code} value={f.code}>{f.name}</option>)}
                      {!forms.data && <option value={formCode}>{formCode}</option>}
                    </select>
                  </label>
                )}
              </div>
              {!form.form ? <p class="muted">{t('loading')}</p> : (
                <div class="stack score-grid">
                  {form.form.criteria.map((cr) => (
                    <fieldset key={cr.id} class="criterion" data-criterion={cr.id}>
                      <legend>{cr.label}{cr.critical && <span class="badge bad"> {t('critical')}</span>}</legend>
                      {cr.description && <p class="muted small">{cr.description}</p>}
                      <div class="row score-choices" role="radiogroup" aria-label={cr.label}>
                        {Array.from({ length: cr.maxScore + 1 }, (_, n) => (
                          <label key={n} class="score-choice">
                            <input type="radio" name={`score-${cr.id}`} value={n} checked={scores[cr.id] === n} onChange={() => setScores((s) => ({ ...s, [cr.id]: n }))} />
                            <span>{n}</span>
                          </label>
                        ))}
                        <span class="muted">/ {cr.maxScore}</span>
                      </div>
                      <input class="criterion-note" aria-label={t('note', { label: cr.label })} placeholder={t('note', { label: cr.label })} value={notes[cr.id] ?? ''}
                        onInput={(e) => { const v = e.currentTarget.value; setNotes((n) => ({ ...n, [cr.id]: v })); }} />
                    </fieldset>
                  ))}
                  {preview && (
                    <p class="muted" data-testid="score-preview">
                      {t('preview', { percent: preview.percent.toFixed(1) })} · {t('passMark', { mark: form.form.passMark })}
                      {preview.missing.length > 0 && <> · {t('missing', { n: preview.missing.length })}</>}
                    </p>
                  )}
                </div>
              )}
            </section>
            <div class="stack">
              <section class="card" aria-label={t('comments')}>
                <h2>{t('comments')}</h2>
                {comments.length === 0 ? <p class="muted">{t('noComments')}</p> : (
                  <ul class="plain quality-comments">
                    {[...comments].sort((a, b) => a.atSeconds - b.atSeconds).map((cm) => (
                      <li key={cm.key}>
                        <button type="button" class="link" aria-label={t('jump', { at: formatDuration(cm.atSeconds * 1000) })}
                          onClick={() => setSeekTo({ seconds: cm.atSeconds, key: Date.now() })}>{formatDuration(cm.atSeconds * 1000)}</button>{' '}
                        <span class="comment-text">{cm.text}</span>
                        {cm.authorName && <span class="muted small"> — {t('by', { name: cm.authorName })}</span>}
                        <button type="button" class="link" aria-label={t('removeComment', { at: formatDuration(cm.atSeconds * 1000) })}
                          onClick={() => setComments((list) => list.filter((x) => x.key !== cm.key))}>✕</button>
                      </li>
                    ))}
                  </ul>
                )}
                <form class="row" onSubmit={(e) => {
                  e.preventDefault();
                  if (!commentText.trim()) return;
                  setComments((list) => [...list, { atSeconds: here, text: commentText.trim(), key: `new-${Date.now()}-${list.length}` }]);
                  setCommentText('');
                }}>
                  <input class="grow" aria-label={t('commentText')} placeholder={t('commentText')} value={commentText} onInput={(e) => setCommentText(e.currentTarget.value)} />
                  <button type="submit" disabled={!commentText.trim()}>{t('commentHere', { at: formatDuration(here * 1000) })}</button>
                </form>
              </section>
              <section class="card" aria-label={t('summary')}>
                <h2>{t('summary')}</h2>
                <textarea aria-label={t('summary')} rows={4} value={summary} onInput={(e) => setSummary(e.currentTarget.value)} />
              </section>
              <ErrorBanner error={error} onDismiss={() => setError(null)} />
              <div class="row">
                <button type="button" class="primary" disabled={saving || !form.form} onClick={() => void save()}>{saving ? t('saving') : t('save')}</button>
              </div>
              {saved && (
                <section class={`card evaluation-result ${saved.passed ? 'passed' : 'failed'}`} aria-label={t('saved')} role="status">
                  <h2>{t('total', { percent: saved.totalPercent.toFixed(1) })}</h2>
                  <p>
                    <span class={`badge ${saved.passed ? 'ok' : 'bad'}`}>{saved.passed ? t('passed') : t('failed')}</span>
                    {saved.criticalFailed && <> <span class="badge bad">{t('criticalFailed')}</span></>}
                  </p>
                  {saved.acknowledgedAt && <p class="muted">{t('acknowledged', { date: formatDateTime(saved.acknowledgedAt) })}</p>}
                </section>
              )}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
