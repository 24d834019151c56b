import { useEffect, useState } from 'preact/hooks';
import type { AbandonedItem, CallbackAttemptView, VoicemailItem, VoicemailList } from '../../api/schemas/voicemail-schemas';
import { api, type ApiError } from '../shared/api-client';
import { ErrorBanner } from '../shared/components';
import { asApiError, useAsync } from '../shared/hooks';
import { formatDateTime, formatDuration, translator } from '../shared/i18n';

/*
 * The softphone's "Messages" tab (issue 17 points 3 and 4): voicemail left
 * for me or my queues — played from a copy fetched with the session's header,
 * marked done — and my queues' abandoned calls, called back in one click with
 * the outcome recorded, so that both lists shrink as they are worked.
 */

const useT = translator({
  en: {
    messages: 'Messages', voicemail: 'Voicemail', abandoned: 'Abandoned calls', noVoicemail: 'No new messages.', noAbandoned: 'Nobody to call back.',
    play: 'Play', done: 'Done', callBack: 'Call back', reached: 'Reached', noAnswer: 'No answer', later: 'Later', loading: 'Loading…',
    forQueue: 'queue {queue}', forMe: 'for me', notReady: 'saved when the call ends', purged: 'deleted (retention)', times: '{n} times',
    openCount: '{n} new', message: 'Voicemail message from {from}', tried: 'tried: {results}',
  },
  ru: {
    messages: 'Сообщения', voicemail: 'Голосовая почта', abandoned: 'Пропущенные', noVoicemail: 'Новых сообщений нет.', noAbandoned: 'Перезванивать некому.',
    play: 'Прослушать', done: 'Готово', callBack: 'Перезвонить', reached: 'Дозвонились', noAnswer: 'Не ответил', later: 'Позже', loading: 'Загрузка…',
    forQueue: 'очередь {queue}', forMe: 'мне', notReady: 'сохранится после звонка', purged: 'удалено (срок хранения)', times: '{n} раз',
    openCount: 'новых: {n}', message: 'Сообщение от {from}', tried: 'попытки: {results}',
  },
});

const enc = encodeURIComponent;
const messagesApi = {
  voicemails: () => api.get<VoicemailList>('/api/voicemails'),
  done: (id: string) => api.post<VoicemailItem>(`/api/voicemails/${enc(id)}/done`, { done: true }),
  abandoned: () => api.get<AbandonedItem[]>('/api/abandoned-calls'),
  callbackResult: (callId: string, result: CallbackAttemptView['result']) => api.post<CallbackAttemptView>(`/api/abandoned-calls/${enc(callId)}/callbacks`, { result }),
};

/** What the softphone dials for a call-back: a client (their number chosen by the server) or a number. */
export interface CallBackTarget {
  clientId?: number;
  number?: string;
  label: string;
}

/** How often the tab's badge looks for new messages while the softphone is open. */
const COUNT_REFRESH_MS = 30_000;

/** The tab's label with the number of new messages, refreshed while the softphone is open. */
export function MessagesTabLabel(props: { version: number }): preact.JSX.Element {
  const t = useT();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), COUNT_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const list = useAsync(() => messagesApi.voicemails(), [props.version, tick]);
  const open = list.data?.open ?? 0;
  return (
    <span>
      {t('messages')}
      {open > 0 && <span class="badge ringing" data-testid="voicemail-count" aria-label={t('openCount', { n: open })}> {open}</span>}
    </span>
  );
}

/** The tab: voicemail, then abandoned calls. */
export function MessagesTab(props: { version: number; canCall: boolean; onCall: (target: CallBackTarget) => void }): preact.JSX.Element {
  const t = useT();
  return (
    <div class="sp-messages">
      <h3>{t('voicemail')}</h3>
      <Voicemails version={props.version} />
      <h3>{t('abandoned')}</h3>
      <AbandonedCalls version={props.version} canCall={props.canCall} onCall={props.onCall} />
    </div>
  );
}

function Voicemails(props: { version: number }): preact.JSX.Element {
  const t = useT();
  const [tick, setTick] = useState(0);
  const list = useAsync(() => messagesApi.voicemails(), [props.version, tick]);
  const [playing, setPlaying] = useState<{ id: string; url: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => () => { if (playing) URL.revokeObjectURL(playing.url); }, [playing]);
  if (list.error) return <ErrorBanner error={list.error} onDismiss={list.reload} />;
  if (list.loading && !list.data) return <p class="muted">{t('loading')}</p>;
  const items = list.data?.items ?? [];
  if (items.length === 0) return <p class="muted sp-empty">{t('noVoicemail')}</p>;
  const play = async (message: VoicemailItem): Promise<void> => {
    setError(null);
    try {
      // The session's header, not a URL credential: the player gets a copy in memory.
      const file = await api.blob(`/api/voicemails/${enc(message.id)}/audio`);
      setPlaying({ id: message.id, url: URL.createObjectURL(file) });
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const done = async (message: VoicemailItem): Promise<void> => {
    setError(null);
    try {
      await messagesApi.done(message.id);
      setTick((n) => n + 1);
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <ul class="sp-assignments" aria-label={t('voicemail')} data-testid="voicemails">
        {items.map((m) => {
          const from = m.clientName ?? m.callerNumber;
          return (
            <li key={m.id} class="sp-assignment" data-voicemail={m.id}>
              <div class="row">
                <strong>{from}</strong>
                <span class="grow" />
                <span class="muted">{formatDateTime(m.recordedAt)}</span>
              </div>
              <div class="muted">
                {m.clientName ? `${m.callerNumber} · ` : ''}{m.owner.kind === 'queue' ? t('forQueue', { queue: m.owner.queue }) : t('forMe')} · {formatDuration(m.durationMs)}
                {!m.playable && ` · ${m.purged ? t('purged') : t('notReady')}`}
              </div>
              <div class="row">
                <button type="button" disabled={!m.playable} onClick={() => void play(m)} aria-label={`${t('play')}: ${from}`}>{t('play')}</button>
                <button type="button" class="ok" onClick={() => void done(m)} aria-label={`${t('done')}: ${from}`}>{t('done')}</button>
              </div>
              {playing?.id === m.id && <audio controls autoPlay src={playing.url} aria-label={t('message', { from })} data-testid="voicemail-audio" />}
            </li>
          );
        })}
      </ul>
    </>
  );
}

const RESULTS: ReadonlyArray<[CallbackAttemptView['result'], 'reached' | 'noAnswer' | 'later']> = [['reached', 'reached'], ['no_answer', 'noAnswer'], ['later', 'later']];

function AbandonedCalls(props: { version: number; canCall: boolean; onCall: (target: CallBackTarget) => void }): preact.JSX.Element {
  const t = useT();
  const [tick, setTick] = useState(0);
  const list = useAsync(() => messagesApi.abandoned(), [props.version, tick]);
  const [error, setError] = useState<ApiError | null>(null);
  if (list.error) return <ErrorBanner error={list.error} onDismiss={list.reload} />;
  if (list.loading && !list.data) return <p class="muted">{t('loading')}</p>;
  const items = list.data ?? [];
  if (items.length === 0) return <p class="muted sp-empty">{t('noAbandoned')}</p>;
  const record = async (entry: AbandonedItem, result: CallbackAttemptView['result']): Promise<void> => {
    setError(null);
    try {
      await messagesApi.callbackResult(entry.callId, result);
      setTick((n) => n + 1);
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <ul class="sp-assignments" aria-label={t('abandoned')} data-testid="abandoned-calls">
        {items.map((entry) => {
          const label = entry.clientName ?? entry.callerNumber;
          return (
            <li key={entry.callId} class="sp-assignment" data-abandoned={entry.callId}>
              <div class="row">
                <strong>{label}</strong>
                <span class="grow" />
                <span class="muted">{formatDateTime(entry.abandonedAt)}</span>
              </div>
              <div class="muted">
                {entry.clientName ? `${entry.callerNumber} · ` : ''}{t('forQueue', { queue: entry.queue })}
                {entry.times > 1 && ` · ${t('times', { n: entry.times })}`}
                {entry.attempts.length > 0 && ` · ${t('tried', { results: entry.attempts.map((a) => t(RESULTS.find(([r]) => r === a.result)?.[1] ?? 'later')).join(', ') })}`}
              </div>
              <div class="row">
                <button type="button" class="ok" disabled={!props.canCall}
                  onClick={() => props.onCall(entry.clientId !== null ? { clientId: entry.clientId, label } : { number: entry.callerNumber, label })}
                  aria-label={`${t('callBack')}: ${label}`}>{t('callBack')}</button>
                {RESULTS.map(([result, key]) => (
                  <button type="button" key={result} onClick={() => void record(entry, result)} aria-label={`${t(key)}: ${label}`}>{t(key)}</button>
                ))}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}
