import { useState } from 'preact/hooks';
import { api } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { useAsync } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import { TextField } from '../shared/form-controls';
import { FormFooter, useSave } from './directory-shared';
import type { LookupEntry as Entry } from '../../../../api/schemas/directory-schemas';

const useT = translator({
  en: { code: 'Code', label: 'Label', builtIn: 'built in', add: 'Add', loading: 'Loading…', empty: 'None yet.', codeHint: 'lower case letters, digits and _', added: 'Added {code}.' },
  ru: { code: 'Код', label: 'Название', builtIn: 'встроенный', add: 'Добавить', loading: 'Загрузка…', empty: 'Пока нет.', codeHint: 'строчные латинские буквы, цифры и _', added: 'Добавлено: {code}.' },
});

/** A code list (disposition codes, not-ready reasons, client types): list and add. */
export function LookupTab(props: { path: string; title: string; addTitle: string }): preact.JSX.Element {
  const t = useT();
  const entries = useAsync(() => api.get<Entry[]>(props.path), [props.path]);
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const save = useSave<Entry>(props.path, null);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const created = await save.submit({ code: code.trim(), label: label.trim() });
    if (created) {
      setDone(t('added', { code: created.code }));
      setCode('');
      setLabel('');
      entries.reload();
    }
  };
  return (
    <section class="stack" aria-label={props.title}>
      <ErrorBanner error={entries.error} />
      <div class="table-wrap">
        <table aria-label={props.title}>
          <thead><tr><th>{t('code')}</th><th>{t('label')}</th><th /></tr></thead>
          <tbody>
            {entries.loading && !entries.data && <tr><td colSpan={3} class="muted">{t('loading')}</td></tr>}
            {entries.data?.length === 0 && <tr><td colSpan={3} class="muted">{t('empty')}</td></tr>}
            {(entries.data ?? []).map((e) => <tr key={e.code}><td><code>{e.code}</code></td><td>{e.label}</td><td>{e.builtIn && <span class="badge">{t('builtIn')}</span>}</td></tr>)}
          </tbody>
        </table>
      </div>
      <form class="card stack" aria-label={props.addTitle} onSubmit={(e) => void submit(e)}>
        <h2>{props.addTitle}</h2>
        <div class="grid-2">
          <TextField label={t('code')} value={code} onInput={setCode} hint={t('codeHint')} error={save.fields.code} required />
          <TextField label={t('label')} value={label} onInput={setLabel} error={save.fields.label} required />
        </div>
        {done && <p role="status" class="muted">{done}</p>}
        <FormFooter state={save} creating onCancel={() => { setCode(''); setLabel(''); save.clear(); }} />
      </form>
    </section>
  );
}
