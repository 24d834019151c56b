import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorBanner } from '../../shared/components';
import { useAsync } from '../../shared/hooks';
import { navigate } from '../../shared/hash-route';
import { translator } from '../../shared/i18n';
import type { AdminPageProps } from '../pages';
import { JsonEditor } from '../config/shared/json-editor';
import { Tabs } from '../config/shared/form-controls';
import { useVersionedEditor } from '../config/shared/use-versioned-editor';
import { VersionsPanel } from '../config/shared/versions-panel';
import { WorkflowBar } from '../config/shared/workflow-bar';
import { qualityApi, type QualityForm } from './quality-api';
import { QualityFormEditor } from './quality-form-editor';

const useT = translator({
  en: {
    title: 'Evaluation forms', form: 'Form', what: 'evaluation form {code}', tabs: 'Form sections', criteria: 'Criteria', versions: 'Versions', json: 'JSON',
    loading: 'Loading…', readOnly: 'Only admins change forms; you see the version in use.', newCode: 'New form code', create: 'Create form',
    codeHelp: 'lower-case letters, digits and _', published: 'published v{v}', noPublished: 'not published', draft: 'draft v{v}',
  },
  ru: {
    title: 'Формы оценки', form: 'Форма', what: 'форму оценки {code}', tabs: 'Разделы формы', criteria: 'Критерии', versions: 'Версии', json: 'JSON',
    loading: 'Загрузка…', readOnly: 'Формы меняют только администраторы; показана действующая версия.', newCode: 'Код новой формы', create: 'Создать форму',
    codeHelp: 'строчные латинские буквы, цифры и _', published: 'опубликована v{v}', noPublished: 'не опубликована', draft: 'черновик v{v}',
  },
});

type Tab = 'criteria' | 'versions' | 'json';
const TABS: readonly Tab[] = ['criteria', 'versions', 'json'];
const CODE = /^[a-z][a-z0-9_]*$/;
const BLANK_FORM: QualityForm = { name: 'New form', passMark: 80, criteria: [{ id: 'greeting', label: 'Greeting', weight: 1, maxScore: 5 }] };

/** #/quality-forms/<code>/<tab>: evaluation forms, versioned like the IVR flows; admins edit, reviewers read. */
export function QualityFormsPage(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const forms = useAsync(() => qualityApi.forms(), []);
  const code = props.route.segments[1] ?? forms.data?.items[0]?.code ?? 'standard';
  const tab: Tab = TABS.includes(props.route.segments[2] as Tab) ? (props.route.segments[2] as Tab) : 'criteria';
  const go = (nextCode: string, nextTab: Tab = tab): void => navigate(`quality-forms/${encodeURIComponent(nextCode)}/${nextTab}`);
  const client = useMemo(() => qualityApi.formVersions(code), [code]);
  const editor = useVersionedEditor<QualityForm>(client, { document: BLANK_FORM });
  const isAdmin = props.user.role === 'admin';
  // The form list's versions change with a save, publish or rollback here.
  useEffect(() => forms.reload(), [editor.base?.version, editor.base?.status]);
  // Reviewers read the version in use, not an admin's draft in progress.
  const published = editor.versions.find((v) => v.status === 'published')?.version;
  useEffect(() => {
    if (!isAdmin && editor.base?.status === 'draft' && published !== undefined) void editor.load(published);
  }, [isAdmin, editor.base?.version, editor.base?.status, published]);
  const [newCode, setNewCode] = useState('');
  const items = forms.data?.items ?? [];
  const known = items.some((f) => f.code === code);

  return (
    <div class="stack config-page quality-forms-page">
      <div class="row page-head">
        <h1 class="grow">{t('title')}</h1>
        <label class="field">{t('form')}
          <select aria-label={t('form')} value={code} onChange={(e) => go(e.currentTarget.value, 'criteria')}>
            {!known && <option value={code}>{code}</option>}
            {items.map((f) => (
              <option key={f.code} value={f.code}>
                {f.name} ({f.code}) — {f.publishedVersion === null ? t('noPublished') : t('published', { v: f.publishedVersion })}{f.draftVersion !== null ? `, ${t('draft', { v: f.draftVersion })}` : ''}
              </option>
            ))}
          </select>
        </label>
        {isAdmin && (
          <form class="row" onSubmit={(e) => { e.preventDefault(); if (CODE.test(newCode)) { go(newCode, 'criteria'); setNewCode(''); } }}>
            <input aria-label={t('newCode')} placeholder={t('codeHelp')} value={newCode} pattern="[a-z][a-z0-9_]*" onInput={(e) => setNewCode(e.currentTarget.value)} />
            <button type="submit" disabled={!CODE.test(newCode)}>{t('create')}</button>
          </form>
        )}
      </div>
      <ErrorBanner error={forms.error} />
      {isAdmin ? <WorkflowBar editor={editor} what={t('what', { code })} /> : (
        <>
          <p class="muted">{t('readOnly')}</p>
          <ErrorBanner error={editor.error} />
        </>
      )}
      <Tabs label={t('tabs')} tabs={TABS.map((key) => ({ key, label: t(key) }))} current={tab} onSelect={(k) => go(code, k)} />
      {!editor.doc ? <p class="muted" role="status">{t('loading')}</p> : (
        <>
          {tab === 'criteria' && <QualityFormEditor form={editor.doc} issues={editor.issues} readOnly={!isAdmin} onChange={editor.edit} />}
          {tab === 'versions' && (
            <VersionsPanel client={client} versions={editor.versions} working={editor.dirty ? editor.doc : null} busy={editor.busy}
              onOpen={(v) => { void editor.load(v); go(code, 'criteria'); }} onRollback={(v) => void editor.rollback(v)} />
          )}
          {tab === 'json' && <JsonEditor value={editor.doc} issues={editor.issues} onApply={(next) => { if (isAdmin) editor.edit(next as QualityForm); }} />}
        </>
      )}
    </div>
  );
}
