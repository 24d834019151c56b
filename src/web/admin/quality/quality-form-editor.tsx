import { useState } from 'preact/hooks';
import { translator } from '../../shared/i18n';
import type { Issue } from '../config/shared/versioned-config-api';
import type { FormCriterion, QualityForm } from './quality-api';
import { criterionIssues, newCriterionId, normalisePath, previewScore, weightShares } from './quality-view';

const useT = translator({
  en: {
    formName: 'Form name', passMark: 'Pass mark (%)', criteria: 'Criteria', id: 'Id', label: 'Criterion', description: 'Description', weight: 'Weight',
    share: 'Share of total', maxScore: 'Max score', critical: 'Critical', tryScore: 'Try a score', remove: 'Remove {label}', add: 'Add criterion',
    preview: 'Weighted total preview', previewText: '{percent} % with the scores tried', previewNone: 'Type scores in the last column to see the total.',
    passes: 'passes (pass mark {mark} %)', fails: 'fails (pass mark {mark} %)', criticalFail: 'fails: a critical criterion scored 0', incomplete: '{n} criterion(s) not scored yet',
    criticalHelp: 'A 0 on a critical criterion fails the evaluation whatever the total.', newLabel: 'New criterion', formProblems: 'Problems with the form',
  },
  ru: {
    formName: 'Название формы', passMark: 'Проходной балл (%)', criteria: 'Критерии', id: 'Код', label: 'Критерий', description: 'Описание', weight: 'Вес',
    share: 'Доля в итоге', maxScore: 'Макс. балл', critical: 'Критичный', tryScore: 'Пробная оценка', remove: 'Удалить {label}', add: 'Добавить критерий',
    preview: 'Предпросмотр взвешенного итога', previewText: '{percent} % при пробных оценках', previewNone: 'Введите оценки в последнем столбце, чтобы увидеть итог.',
    passes: 'зачёт (проходной балл {mark} %)', fails: 'незачёт (проходной балл {mark} %)', criticalFail: 'незачёт: критичный критерий оценён в 0', incomplete: 'не оценено критериев: {n}',
    criticalHelp: '0 по критичному критерию означает незачёт независимо от итога.', newLabel: 'Новый критерий', formProblems: 'Ошибки в форме',
  },
});

/**
 * The criteria table of a form: label, weight (with the share of the total it
 * carries), max score and critical per row, and a column of trial scores with
 * the weighted total they would give, so the admin sees what a weight change
 * does before publishing. Read-only for everyone but admins.
 */
export function QualityFormEditor(props: { form: QualityForm; issues: Issue[]; readOnly: boolean; onChange: (next: QualityForm) => void }): preact.JSX.Element {
  const t = useT();
  const { form } = props;
  const [tried, setTried] = useState<Record<string, number | undefined>>({});
  const shares = weightShares(form);
  const preview = previewScore(form, tried);
  const scoredAny = form.criteria.some((c) => tried[c.id] !== undefined);
  const setCriterion = (index: number, patch: Partial<FormCriterion>): void => {
    props.onChange({ ...form, criteria: form.criteria.map((c, i) => (i === index ? { ...c, ...patch } : c)) });
  };
  const formIssues = props.issues.filter((i) => !normalisePath(i.path).startsWith('criteria['));
  const fieldError = (index: number, field: string): string | undefined => criterionIssues(props.issues, index, field).join('; ') || undefined;
  const rowError = (index: number): string | undefined => {
    const all = criterionIssues(props.issues, index);
    const fielded = ['id', 'label', 'weight', 'maxScore', 'critical', 'description'].flatMap((f) => criterionIssues(props.issues, index, f));
    return all.filter((m) => !fielded.includes(m)).join('; ') || undefined;
  };

  return (
    <div class="stack quality-form-editor">
      <section class="card row" aria-label={t('formName')}>
        <label class="field grow">{t('formName')}
          <input value={form.name} disabled={props.readOnly} onInput={(e) => props.onChange({ ...form, name: e.currentTarget.value })} />
        </label>
        <label class="field">{t('passMark')}
          <input type="number" min={0} max={100} step={1} value={form.passMark} disabled={props.readOnly}
            onInput={(e) => props.onChange({ ...form, passMark: Number(e.currentTarget.value) })} />
        </label>
      </section>
      {formIssues.length > 0 && (
        <div class="banner error" role="alert"><span>{t('formProblems')}</span>
          <ul>{formIssues.map((i, n) => <li key={n}><code>{i.path}</code> {i.message}</li>)}</ul>
        </div>
      )}
      <section class="card" aria-label={t('criteria')}>
        <h2>{t('criteria')}</h2>
        <p class="muted">{t('criticalHelp')}</p>
        <table class="criteria-table">
          <thead>
            <tr><th>{t('id')}</th><th>{t('label')}</th><th class="num">{t('weight')}</th><th class="num">{t('share')}</th><th class="num">{t('maxScore')}</th><th>{t('critical')}</th><th class="num">{t('tryScore')}</th><th /></tr>
          </thead>
          <tbody>
            {form.criteria.map((c, index) => (
              <tr key={index} data-criterion={c.id}>
                <td>
                  <input class="criterion-id" aria-label={`${t('id')} ${index + 1}`} value={c.id} disabled={props.readOnly} aria-invalid={fieldError(index, 'id') ? 'true' : undefined}
                    onInput={(e) => {
                      const id = e.currentTarget.value;
                      setTried(({ [c.id]: score, ...rest }) => ({ ...rest, [id]: score }));
                      setCriterion(index, { id });
                    }} />
                  {fieldError(index, 'id') && <small class="field-error" role="alert">{fieldError(index, 'id')}</small>}
                </td>
                <td>
                  <input aria-label={`${t('label')} ${index + 1}`} value={c.label} disabled={props.readOnly} onInput={(e) => setCriterion(index, { label: e.currentTarget.value })} />
                  {fieldError(index, 'label') && <small class="field-error" role="alert">{fieldError(index, 'label')}</small>}
                  {rowError(index) && <small class="field-error" role="alert">{rowError(index)}</small>}
                </td>
                <td class="num">
                  <input type="number" step="any" min={0} aria-label={`${t('weight')} ${c.label}`} value={c.weight} disabled={props.readOnly}
                    onInput={(e) => setCriterion(index, { weight: Number(e.currentTarget.value) })} />
                  {fieldError(index, 'weight') && <small class="field-error" role="alert">{fieldError(index, 'weight')}</small>}
                </td>
                <td class="num" data-field="share">{shares[index]?.toFixed(1)} %</td>
                <td class="num">
                  <input type="number" min={1} max={10} step={1} aria-label={`${t('maxScore')} ${c.label}`} value={c.maxScore} disabled={props.readOnly}
                    onInput={(e) => setCriterion(index, { maxScore: Number(e.currentTarget.value) })} />
                  {fieldError(index, 'maxScore') && <small class="field-error" role="alert">{fieldError(index, 'maxScore')}</small>}
                </td>
                <td>
                  <input type="checkbox" aria-label={`${t('critical')} ${c.label}`} checked={c.critical === true} disabled={props.readOnly}
                    onChange={(e) => setCriterion(index, { critical: e.currentTarget.checked })} />
                </td>
                <td class="num">
                  <input type="number" min={0} max={c.maxScore} step={1} aria-label={`${t('tryScore')} ${c.label}`} value={tried[c.id] ?? ''}
                    onInput={(e) => { const v = e.currentTarget.value; setTried((s) => ({ ...s, [c.id]: v === '' ? undefined : Number(v) })); }} />
                </td>
                <td>
                  {!props.readOnly && (
                    <button type="button" class="link" aria-label={t('remove', { label: c.label || c.id })}
                      onClick={() => props.onChange({ ...form, criteria: form.criteria.filter((_, i) => i !== index) })}>✕</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!props.readOnly && (
          <div class="row">
            <button type="button" onClick={() => props.onChange({ ...form, criteria: [...form.criteria, { id: newCriterionId(form), label: t('newLabel'), weight: 1, maxScore: 5 }] })}>{t('add')}</button>
          </div>
        )}
      </section>
      <section class="card" aria-label={t('preview')}>
        <h2>{t('preview')}</h2>
        {!scoredAny ? <p class="muted">{t('previewNone')}</p> : (
          <p data-testid="form-preview">
            <strong class="preview-total">{t('previewText', { percent: preview.percent.toFixed(1) })}</strong>{' — '}
            {preview.criticalFailed ? <span class="badge bad">{t('criticalFail')}</span>
              : preview.missing.length > 0 ? <span class="badge">{t('incomplete', { n: preview.missing.length })}</span>
                : preview.passes ? <span class="badge ok">{t('passes', { mark: form.passMark })}</span>
                  : <span class="badge bad">{t('fails', { mark: form.passMark })}</span>}
          </p>
        )}
      </section>
    </div>
  );
}
