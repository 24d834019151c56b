import { useEffect, useState } from 'preact/hooks';
import { translator } from '../../../shared/i18n';
import type { Issue } from './versioned-config-api';

const useT = translator({
  en: {
    title: 'Document (JSON)', apply: 'Apply to the working copy', reset: 'Discard edits here', notJson: 'Not valid JSON: {message}',
    help: 'Everything the forms do not cover can be edited here. The server validator checks the result like any other edit.', problems: 'Validator messages',
  },
  ru: {
    title: 'Документ (JSON)', apply: 'Применить к рабочей копии', reset: 'Отменить правки здесь', notJson: 'Некорректный JSON: {message}',
    help: 'Здесь можно изменить всё, чего нет в формах. Результат проверяет серверный валидатор, как и любую другую правку.', problems: 'Сообщения валидатора',
  },
});

/** The whole document as JSON: the escape hatch for what the forms do not cover. */
export function JsonEditor(props: { value: unknown; issues: Issue[]; onApply: (value: unknown) => void }): preact.JSX.Element {
  const t = useT();
  const pretty = JSON.stringify(props.value, null, 2);
  const [text, setText] = useState(pretty);
  const [parseError, setParseError] = useState<string | null>(null);
  useEffect(() => setText(pretty), [pretty]);
  const apply = (): void => {
    try {
      props.onApply(JSON.parse(text));
      setParseError(null);
    } catch (err) {
      setParseError(t('notJson', { message: err instanceof Error ? err.message : String(err) }));
    }
  };
  return (
    <section class="card stack" aria-label={t('title')}>
      <h2>{t('title')}</h2>
      <p class="muted">{t('help')}</p>
      <textarea class="json" aria-label={t('title')} spellcheck={false} value={text} rows={28} onInput={(e) => setText(e.currentTarget.value)} />
      {parseError && <div class="banner error" role="alert">{parseError}</div>}
      {props.issues.length > 0 && (
        <div class="banner error" role="alert" aria-label={t('problems')}>
          <ul>{props.issues.map((i) => <li key={i.path + i.message}><code>{i.path}</code> {i.message}</li>)}</ul>
        </div>
      )}
      <div class="row">
        <button type="button" class="primary" onClick={apply}>{t('apply')}</button>
        <button type="button" onClick={() => { setText(pretty); setParseError(null); }}>{t('reset')}</button>
      </div>
    </section>
  );
}
