import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { formatDateTime, formatDuration, translator } from '../../../shared/i18n';
import type { MonitoringSession } from '../../../../api/schemas/call-monitoring-schemas';
import type { AdminPageProps } from '../../pages';

const useT = translator({
  en: {
    title: 'Monitoring sessions', introAll: 'Every monitoring session: who listened to whom, when, for how long, in which modes.',
    introOwn: 'Your monitoring sessions: whom you listened to, when, for how long, in which modes.',
    show: 'Show', all: 'All', running: 'Running', ended: 'Ended', refresh: 'Refresh', none: 'No monitoring sessions.', loading: 'Loading…',
    started: 'Started', supervisor: 'By', agent: 'Agent', caller: 'Caller', queue: 'Queue', modes: 'Modes', duration: 'Duration', end: 'Ended',
    listen: 'listen', whisper: 'whisper', barge: 'barge', runningNow: 'running', stop: 'Stop',
    supervisor_hung_up: 'hung up', call_ended: 'call ended', stopped: 'stopped', failed: 'failed',
  },
  ru: {
    title: 'Сеансы прослушивания', introAll: 'Все сеансы прослушивания: кто кого слушал, когда, сколько и в каких режимах.',
    introOwn: 'Ваши сеансы прослушивания: кого вы слушали, когда, сколько и в каких режимах.',
    show: 'Показать', all: 'Все', running: 'Идут', ended: 'Завершены', refresh: 'Обновить', none: 'Сеансов прослушивания нет.', loading: 'Загрузка…',
    started: 'Начало', supervisor: 'Кто', agent: 'Оператор', caller: 'Абонент', queue: 'Очередь', modes: 'Режимы', duration: 'Длительность', end: 'Завершён',
    listen: 'слушать', whisper: 'суфлировать', barge: 'вмешаться', runningNow: 'идёт', stop: 'Завершить',
    supervisor_hung_up: 'положил трубку', call_ended: 'звонок окончен', stopped: 'остановлен', failed: 'не удался',
  },
});

type Shown = 'all' | 'running' | 'ended';

/** The audit of live call monitoring (issue 18 point 3): admins see every session, anyone else their own (the server decides). */
export function MonitoringSessionsPage(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const [shown, setShown] = useState<Shown>('all');
  const query = shown === 'all' ? '' : `?active=${shown === 'running'}`;
  const list = useAsync(() => api.get<{ items: MonitoringSession[] }>(`/api/call-monitoring/sessions${query}`), [query]);
  const items = list.data?.items ?? [];
  const [stopError, setStopError] = useState<ApiError | null>(null);
  // A running session can be stopped here by its own monitor, or by an admin (the server checks which).
  const mayStop = (s: MonitoringSession): boolean => s.endReason === null && (props.user.role === 'admin' || s.supervisorUserId === props.user.id);
  const stop = (s: MonitoringSession): void => {
    setStopError(null);
    api.delete<MonitoringSession>(`/api/call-monitoring/sessions/${s.id}`).then(list.reload, (err: unknown) => setStopError(asApiError(err)));
  };
  return (
    <section class="card monitoring-sessions">
      <h1>{t('title')}</h1>
      <p class="muted">{props.user.role === 'admin' ? t('introAll') : t('introOwn')}</p>
      <ErrorBanner error={list.error ?? stopError} onDismiss={() => { setStopError(null); list.reload(); }} />
      <div class="row">
        <label class="inline">{t('show')}{' '}
          <select value={shown} onChange={(e) => setShown(e.currentTarget.value as Shown)}>
            <option value="all">{t('all')}</option>
            <option value="running">{t('running')}</option>
            <option value="ended">{t('ended')}</option>
          </select>
        </label>
        <button type="button" onClick={list.reload}>{t('refresh')}</button>
      </div>
      {list.loading && !list.data && <p class="muted">{t('loading')}</p>}
      {list.data && items.length === 0 ? <p class="muted">{t('none')}</p> : (
        <table class="table" data-testid="monitoring-sessions">
          <thead>
            <tr>
              <th>{t('started')}</th><th>{t('supervisor')}</th><th>{t('agent')}</th><th>{t('caller')}</th><th>{t('queue')}</th>
              <th>{t('modes')}</th><th class="num">{t('duration')}</th><th>{t('end')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-session-id={s.id}>
                <td>{formatDateTime(s.startedAt)}</td>
                <td>{s.supervisorName}</td>
                <td>{s.agentName ?? '—'}</td>
                <td>{s.callerNumber ?? '—'}</td>
                <td>{s.queue ?? '—'}</td>
                <td class="modes">{s.modeHistory.map((c) => t(c.mode)).join(' → ')}</td>
                <td class="num" data-testid="duration">{s.durationSeconds === null ? '—' : formatDuration(s.durationSeconds * 1000)}</td>
                <td>
                  {s.endReason === null ? <span class="badge talking">{t('runningNow')}</span> : `${formatDateTime(s.endedAt)} · ${t(s.endReason)}`}
                  {mayStop(s) && <> <button type="button" class="danger small" onClick={() => stop(s)}>{t('stop')}</button></>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
