import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import { fieldErrors } from '../shared/field-errors';
import { TextField } from '../shared/form-controls';

const useT = translator({
  en: {
    title: 'Time zone (calling window)', zone: 'Time zone (IANA, e.g. Asia/Vladivostok)', hint: 'empty: from the phone number',
    derived: 'Campaigns and callbacks call inside the window in: {zones}', severalZones: 'any of {n} zones of the number\'s country (only hours common to all)',
    save: 'Save time zone', saved: 'Time zone saved.',
  },
  ru: {
    title: 'Часовой пояс (окно обзвона)', zone: 'Часовой пояс (IANA, например Asia/Vladivostok)', hint: 'пусто: по номеру телефона',
    derived: 'Обзвоны и обратные звонки — только в окне по поясу: {zones}', severalZones: 'любой из {n} поясов страны номера (только общие часы)',
    save: 'Сохранить пояс', saved: 'Часовой пояс сохранён.',
  },
});

/** The client card's time zone for the calling window (issue 17): set, or derived from the number when empty. */
export function ClientTimeZone(props: { clientId: number }): preact.JSX.Element {
  const t = useT();
  const path = `/api/clients/${props.clientId}/time-zone`;
  const current = useAsync(() => api.get<{ timeZone: string | null; effectiveTimeZones: string[] }>(path), [path]);
  const [zone, setZone] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => setZone(current.data?.timeZone ?? ''), [current.data]);
  const zones = current.data?.effectiveTimeZones ?? [];
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(null);
    setDone(false);
    try {
      await api.put(path, { timeZone: zone.trim() || null });
      setDone(true);
      current.reload();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <form class="card stack" aria-label={t('title')} onSubmit={(e) => void submit(e)}>
      <h3>{t('title')}</h3>
      <TextField label={t('zone')} value={zone} onInput={setZone} hint={t('hint')} error={fieldErrors(error).timeZone} />
      {zones.length > 0 && <p class="muted">{t('derived', { zones: zones.length === 1 ? (zones[0] ?? '') : t('severalZones', { n: String(zones.length) }) })}</p>}
      <ErrorBanner error={error ?? current.error} />
      {done && <p role="status" class="muted">{t('saved')}</p>}
      <div class="row"><button type="submit">{t('save')}</button></div>
    </form>
  );
}
