import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../../shared/components';
import { translator } from '../../../shared/i18n';
import type { VersionedEditor } from './use-versioned-editor';

const useT = translator({
  en: {
    editing: 'Editing {what}', draftOf: 'draft v{v}', publishedV: 'published v{v}', archivedV: 'archived v{v} (saving makes a new draft)', newDoc: 'new, never saved',
    unsaved: 'unsaved changes', valid: 'valid', checking: 'checking…', problems: '{n} problem(s)', validate: 'Validate', save: 'Save draft', publish: 'Publish',
    comment: 'Comment for this version', saved: 'Saved as draft v{v}.', publishedDone: 'Published v{v}: new calls use it now.', working: 'Working…',
    confirmPublish: 'Publish {what}? New calls will use it at once; calls in progress keep their version.', status: 'Status', actions: 'Actions',
  },
  ru: {
    editing: 'Редактирование: {what}', draftOf: 'черновик v{v}', publishedV: 'опубликована v{v}', archivedV: 'архивная v{v} (сохранение создаст новый черновик)', newDoc: 'новый, не сохранён',
    unsaved: 'есть несохранённые изменения', valid: 'без ошибок', checking: 'проверка…', problems: 'ошибок: {n}', validate: 'Проверить', save: 'Сохранить черновик', publish: 'Опубликовать',
    comment: 'Комментарий к версии', saved: 'Сохранено как черновик v{v}.', publishedDone: 'Опубликована v{v}: новые звонки идут по ней.', working: 'Выполняется…',
    confirmPublish: 'Опубликовать {what}? Новые звонки сразу пойдут по новой версии; текущие звонки доработают по своей.', status: 'Состояние', actions: 'Действия',
  },
});

/** Where the working copy stands (which version, saved or not, valid or not) and the validate / save / publish buttons. */
export function WorkflowBar<T>(props: { editor: VersionedEditor<T>; what: string; extra?: ComponentChildren }): preact.JSX.Element {
  const t = useT();
  const { editor } = props;
  const [comment, setComment] = useState('');
  const base = editor.base;
  const where = !base ? t('newDoc') : base.status === 'draft' ? t('draftOf', { v: base.version }) : base.status === 'published' ? t('publishedV', { v: base.version }) : t('archivedV', { v: base.version });
  const validity = !editor.checked ? <span class="badge">{t('checking')}</span>
    : editor.issues.length === 0 ? <span class="badge ok">✓ {t('valid')}</span>
      : <span class="badge bad">{t('problems', { n: editor.issues.length })}</span>;
  const nothingToPublish = base?.status === 'published' && !editor.dirty;

  const save = async (): Promise<void> => {
    const saved = await editor.save(comment);
    if (saved) editor.setNotice(t('saved', { v: saved.version }));
  };
  const publish = async (): Promise<void> => {
    if (!window.confirm(t('confirmPublish', { what: props.what }))) return;
    const published = await editor.publish(comment);
    if (published) {
      editor.setNotice(t('publishedDone', { v: published.version }));
      setComment('');
    }
  };

  return (
    <div class="stack workflow">
      <div class="workflow-bar card row" role="group" aria-label={t('actions')}>
        <div class="grow workflow-status" aria-label={t('status')} aria-live="polite">
          <strong>{t('editing', { what: props.what })}</strong> · <span class={`version-state ${base?.status ?? 'new'}`}>{where}</span>
          {editor.dirty && <> · <span class="badge warn-badge">{t('unsaved')}</span></>} · {validity}
        </div>
        <input class="comment" aria-label={t('comment')} placeholder={t('comment')} value={comment} maxLength={500} onInput={(e) => setComment(e.currentTarget.value)} />
        <button type="button" disabled={editor.busy} onClick={() => void editor.validate()}>{t('validate')}</button>
        <button type="button" disabled={editor.busy || (!editor.dirty && base?.status === 'draft') || nothingToPublish} onClick={() => void save()}>{t('save')}</button>
        <button type="button" class="primary" disabled={editor.busy || nothingToPublish} onClick={() => void publish()}>{editor.busy ? t('working') : t('publish')}</button>
        {props.extra}
      </div>
      {editor.notice && <div class="banner info" role="status"><span>{editor.notice}</span></div>}
      <ErrorBanner error={editor.error} onDismiss={() => editor.setError(null)} />
    </div>
  );
}
