import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api-client';
import { translator } from '../../../shared/i18n';
import { formatDuration } from '../../../shared/i18n';
import { promptAudioUrl, uploadPrompt, type PromptRow } from './prompt-catalogue';

const useT = translator({
  en: {
    play: 'Play', stop: 'Stop', upload: 'Upload recording', uploading: 'Uploading…', playFailed: 'The recording cannot be played: {reason}',
    missing: 'no {lang} version', uploaded: 'uploaded', default: 'generated',
  },
  ru: {
    play: 'Прослушать', stop: 'Стоп', upload: 'Загрузить запись', uploading: 'Загрузка…', playFailed: 'Запись не воспроизводится: {reason}',
    missing: 'нет версии {lang}', uploaded: 'загружена', default: 'сгенерирована',
  },
});

/**
 * One prompt in one language: its text, a play button (the browser fetches the
 * WAV only when asked, so a page of prompts does not download them all) and an
 * upload of the admin's own recording.
 */
export function PromptPlayer(props: { id: string; language: string; prompt: PromptRow | undefined; onUploaded: (row: PromptRow) => void; onError: (error: ApiError) => void }): preact.JSX.Element {
  const t = useT();
  const [playing, setPlaying] = useState(false);
  const [uploading, setUploading] = useState(false);
  const audio = useRef<HTMLAudioElement | null>(null);
  useEffect(() => () => audio.current?.pause(), []);

  const play = async (): Promise<void> => {
    if (playing) {
      audio.current?.pause();
      setPlaying(false);
      return;
    }
    setPlaying(true);
    try {
      const element = new Audio(`${await promptAudioUrl(props.id, props.language)}&v=${encodeURIComponent(props.prompt?.updatedAt ?? '')}`);
      audio.current = element;
      element.onended = () => setPlaying(false);
      await element.play();
    } catch (err) {
      setPlaying(false);
      props.onError(new ApiError(0, 'PLAYBACK', t('playFailed', { reason: err instanceof Error ? err.message : String(err) })));
    }
  };

  const upload = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setUploading(true);
    try {
      props.onUploaded(await uploadPrompt(props.id, props.language, file));
    } catch (err) {
      props.onError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
    } finally {
      setUploading(false);
    }
  };

  const name = `${props.id} (${props.language})`;
  return (
    <div class="prompt-player">
      <span class="badge lang">{props.language}</span>
      {props.prompt ? (
        <>
          <span class="prompt-text" title={props.prompt.text}>{props.prompt.text}</span>
          <span class="muted nowrap">{formatDuration(props.prompt.durationMs)} · {props.prompt.source === 'upload' ? t('uploaded') : t('default')}</span>
          <button type="button" class="icon" aria-label={`${playing ? t('stop') : t('play')} ${name}`} onClick={() => void play()}>{playing ? '■' : '▶'}</button>
        </>
      ) : <span class="error">{t('missing', { lang: props.language })}</span>}
      <label class="upload-button" aria-busy={uploading}>
        <span class="visually-hidden">{t('upload')} {name}</span>
        <span aria-hidden="true">{uploading ? t('uploading') : '⤒'}</span>
        <input type="file" accept="audio/wav,audio/x-wav,.wav" aria-label={`${t('upload')} ${name}`} disabled={uploading || !props.prompt}
          onChange={(e) => { const input = e.currentTarget; void upload(input.files?.[0]).finally(() => { input.value = ''; }); }} />
      </label>
    </div>
  );
}
