import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api-client';
import { asApiError } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import { TextField } from '../shared/form-controls';
import { findPrompt, uploadPrompt, type PromptRow } from './prompt-catalogue';
import { PromptPlayer } from './prompt-player';

const useT = translator({
  en: {
    title: 'Prompt library', id: 'Prompt', newPrompt: 'New prompt or language version', newId: 'Prompt id (a-z, 0-9, _)', language: 'Language', text: 'What it says',
    file: 'Recording (WAV)', add: 'Upload', adding: 'Uploading…', empty: 'No prompts yet.', needFile: 'Choose a WAV file.', search: 'Filter prompts', added: 'Uploaded {id} ({lang}).',
  },
  ru: {
    title: 'Библиотека сообщений', id: 'Сообщение', newPrompt: 'Новое сообщение или языковая версия', newId: 'Идентификатор (a-z, 0-9, _)', language: 'Язык', text: 'Текст сообщения',
    file: 'Запись (WAV)', add: 'Загрузить', adding: 'Загрузка…', empty: 'Сообщений пока нет.', needFile: 'Выберите WAV-файл.', search: 'Фильтр сообщений', added: 'Загружено: {id} ({lang}).',
  },
});

/** Every prompt in every language of the flow: listen, replace a recording, add a new prompt with its text. */
export function PromptLibrary(props: { prompts: PromptRow[]; languages: string[]; onUploaded: (row: PromptRow) => void; onError: (error: ApiError) => void }): preact.JSX.Element {
  const t = useT();
  const [filter, setFilter] = useState('');
  const [id, setId] = useState('');
  const [language, setLanguage] = useState(props.languages[0] ?? 'ru');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const languages = [...new Set([...props.languages, ...props.prompts.map((p) => p.language)])];
  const ids = [...new Set(props.prompts.map((p) => p.id))].filter((p) => p.includes(filter.trim().toLowerCase())).sort();

  const add = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!file) {
      props.onError(new ApiError(0, 'CLIENT', t('needFile')));
      return;
    }
    setBusy(true);
    try {
      const row = await uploadPrompt(id.trim(), language, file, text.trim() || undefined);
      props.onUploaded(row);
      setDone(t('added', { id: row.id, lang: row.language }));
    } catch (err) {
      props.onError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <section class="card" aria-label={t('title')}>
        <div class="row"><h2 class="grow">{t('title')}</h2><input type="search" aria-label={t('search')} placeholder={t('search')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} /></div>
        {ids.length === 0 ? <p class="muted">{t('empty')}</p> : (
          <table>
            <thead><tr><th>{t('id')}</th>{props.languages.map((l) => <th key={l}>{l}</th>)}</tr></thead>
            <tbody>
              {ids.map((pid) => (
                <tr key={pid}>
                  <td><code>{pid}</code></td>
                  {props.languages.map((l) => <td key={l}><PromptPlayer id={pid} language={l} prompt={findPrompt(props.prompts, pid, l)} onUploaded={props.onUploaded} onError={props.onError} /></td>)}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form class="card stack" aria-label={t('newPrompt')} onSubmit={(e) => void add(e)}>
        <h2>{t('newPrompt')}</h2>
        <div class="grid-3">
          <TextField label={t('newId')} value={id} onInput={setId} required />
          <label>{t('language')}
            <select value={language} onChange={(e) => setLanguage(e.currentTarget.value)}>{languages.map((l) => <option key={l} value={l}>{l}</option>)}</select>
          </label>
          <label>{t('file')}<input type="file" accept="audio/wav,audio/x-wav,.wav" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} /></label>
        </div>
        <TextField label={t('text')} value={text} onInput={setText} />
        {done && <p role="status" class="muted">{done}</p>}
        <div class="row"><button type="submit" class="primary" disabled={busy}>{busy ? t('adding') : t('add')}</button></div>
      </form>
    </div>
  );
}
