import { useState } from 'preact/hooks';
import { api } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { useAsync } from '../../../shared/hooks';
import { formatDateTime, formatDuration, translator } from '../../../shared/i18n';
import type { AbandonedItem } from '../../../../api/schemas/voicemail-schemas';
import type { AdminPageProps } from '../../pages';

const useT = translator({
  en: {
    title: 'Abandoned calls', intro: 'Callers who hung up waiting in a queue and have not been reached since, oldest first. Operators call them back from the softphone.',
    queue: 'Queue', all: 'All queues', caller: 'Caller', abandoned: 'Abandoned', times: 'Times', waited: 'Waited', attempts: 'Call-backs', none: 'Nobody to call back.',
    loading: 'Loading…', perQueue: 'Open per queue', reached: 'reached', no_answer: 'no answer', later: 'later',
  },
  ru: {
    title: 'Пропущенные звонки', intro: 'Абоненты, положившие трубку в очереди, до которых ещё не дозвонились; сначала самые давние. Операторы перезванивают из софтфона.',
    queue: 'Очередь', all: 'Все очереди', caller: 'Абонент', abandoned: 'Когда', times: 'Раз', waited: 'Ждал', attempts: 'Перезвоны', none: 'Перезванивать некому.',
    loading: 'Загрузка…', perQueue: 'По очередям', reached: 'дозвонились', no_answer: 'не ответил', later: 'позже',
  },
});

/** The supervisor's view of the abandoned-calls list, per queue (issue 17 point 4). */
export function AbandonedPage(_props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const [queue, setQueue] = useState('');
  const list = useAsync(() => api.get<AbandonedItem[]>('/api/abandoned-calls'), []);
  const items = list.data ?? [];
  const perQueue = new Map<string, number>();
  for (const e of items) perQueue.set(e.queue, (perQueue.get(e.queue) ?? 0) + 1);
  const shown = queue ? items.filter((e) => e.queue === queue) : items;
  return (
    <section class="card">
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      <ErrorBanner error={list.error} onDismiss={list.reload} />
      {list.loading && !list.data && <p class="muted">{t('loading')}</p>}
      <p data-testid="abandoned-per-queue">{t('perQueue')}: {[...perQueue].map(([name, n]) => `${name} ${n}`).join(' · ') || '0'}</p>
      <label>{t('queue')}{' '}
        <select value={queue} onChange={(e) => setQueue(e.currentTarget.value)}>
          <option value="">{t('all')}</option>
          {[...perQueue.keys()].sort().map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </label>
      {list.data && shown.length === 0 ? <p class="muted">{t('none')}</p> : (
        <table class="table" data-testid="abandoned-table">
          <thead><tr><th>{t('queue')}</th><th>{t('caller')}</th><th>{t('abandoned')}</th><th class="num">{t('times')}</th><th class="num">{t('waited')}</th><th>{t('attempts')}</th></tr></thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.callId}>
                <td>{e.queue}</td>
                <td>{e.clientName ? `${e.clientName} · ` : ''}{e.callerNumber}</td>
                <td>{formatDateTime(e.abandonedAt)}</td>
                <td class="num">{e.times}</td>
                <td class="num">{formatDuration(e.waitMs)}</td>
                <td>{e.attempts.map((a) => `${formatDateTime(a.at)} ${t(a.result)}`).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
