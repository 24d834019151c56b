import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, type ApiError, type SessionUser } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError } from '../../../shared/hooks';
import { formatDuration, translator } from '../../../shared/i18n';
import type { MonitoringCapabilities, MonitoringSession } from '../../../../api/schemas/call-monitoring-schemas';
import type { MonitorMode } from '../../../../call-monitoring/monitor-mode';

const useT = translator({
  en: {
    listen: 'Listen', whisper: 'Whisper', barge: 'Barge', stop: 'Stop', monitoring: 'Monitoring', bar: 'Monitoring session',
    modeFor: '{mode}: {agent}', mode: 'Mode', ringing: 'your phone is ringing…', unknownCaller: 'unknown caller',
    hint: 'Your phone gets the call; neither party is told.', hintTone: 'Your phone gets the call; both parties hear a short tone.',
  },
  ru: {
    listen: 'Слушать', whisper: 'Суфлировать', barge: 'Вмешаться', stop: 'Завершить', monitoring: 'Прослушивание', bar: 'Сеанс прослушивания',
    modeFor: '{mode}: {agent}', mode: 'Режим', ringing: 'звонит ваш телефон…', unknownCaller: 'неизвестный абонент',
    hint: 'Звонок придёт на ваш телефон; стороны разговора не уведомляются.', hintTone: 'Звонок придёт на ваш телефон; стороны услышат короткий сигнал.',
  },
});

/** How often a running session is read again: it ends without us when the call ends or the phone hangs up. */
const SESSION_POLL_MS = 2000;

export interface Monitoring {
  /** The modes this user may start, as the server reports them (empty: none, so no buttons). */
  modes: MonitorMode[];
  /** The queues whose calls this user may monitor; null: every queue. */
  queues: string[] | null;
  announce: 'none' | 'tone';
  /** This user's running session, if any. */
  session: MonitoringSession | null;
  busy: boolean;
  error: ApiError | null;
  start: (callId: string, mode: MonitorMode) => void;
  change: (mode: MonitorMode) => void;
  stop: () => void;
  dismissError: () => void;
}

/** Live call monitoring from the wallboard (issue 18): the modes this user may use, their running session, and its actions. */
export function useMonitoring(user: SessionUser): Monitoring {
  const [caps, setCaps] = useState<MonitoringCapabilities | null>(null);
  const [session, setSession] = useState<MonitoringSession | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const readMine = useCallback(async (): Promise<void> => {
    const running = await api.get<{ items: MonitoringSession[] }>(`/api/call-monitoring/sessions?active=true&supervisorUserId=${user.id}`);
    setSession(running.items[0] ?? null);
  }, [user.id]);

  useEffect(() => {
    let live = true;
    api.get<MonitoringCapabilities>('/api/call-monitoring/capabilities').then((c) => { if (live) setCaps(c); }, () => undefined);
    readMine().catch(() => undefined);
    return () => { live = false; };
  }, [readMine]);

  // While a session runs, follow it: the call may end, or the phone hang up, without this page doing anything.
  useEffect(() => {
    if (!session) return undefined;
    const timer = setInterval(() => { readMine().catch(() => undefined); }, SESSION_POLL_MS);
    return () => clearInterval(timer);
  }, [session?.id, readMine]);

  const act = (work: () => Promise<MonitoringSession | null>): void => {
    setBusy(true);
    setError(null);
    work().then(
      (next) => { setSession(next); setBusy(false); },
      (err: unknown) => { setError(asApiError(err)); setBusy(false); },
    );
  };

  return {
    modes: caps?.available ? caps.allowedModes : [],
    // null (every queue) must stay null: not `?? []`.
    queues: caps ? caps.queues : [],
    announce: caps?.policy.announce ?? 'none',
    session, busy, error,
    start: (callId, mode) => act(() => api.post<MonitoringSession>('/api/call-monitoring/sessions', { callId, mode })),
    change: (mode) => act(async () => (session ? api.patch<MonitoringSession>(`/api/call-monitoring/sessions/${session.id}`, { mode }) : null)),
    stop: () => act(async () => {
      if (session) await api.delete<MonitoringSession>(`/api/call-monitoring/sessions/${session.id}`);
      return null;
    }),
    dismissError: () => setError(null),
  };
}

/**
 * The buttons beside an agent on a call: one per mode this user may start, for an agent of a queue they may
 * monitor (the agent's queues stand in for the call's, which the floor does not show; the server checks the call's).
 */
export function MonitorButtons(props: { monitoring: Monitoring; callId: string; agentName: string; agentQueues: readonly string[] }): preact.JSX.Element | null {
  const t = useT();
  const { monitoring } = props;
  const reachable = monitoring.queues === null || props.agentQueues.some((q) => monitoring.queues?.includes(q));
  if (monitoring.modes.length === 0 || !reachable) return null;
  const mine = monitoring.session?.callId === props.callId;
  return (
    <span class="wb-monitor">
      {mine ? <span class="badge talking">{t('monitoring')}</span> : monitoring.modes.map((mode) => (
        <button
          key={mode} type="button" class="small" disabled={monitoring.busy || monitoring.session !== null}
          aria-label={t('modeFor', { mode: t(mode), agent: props.agentName })} onClick={() => monitoring.start(props.callId, mode)}
        >{t(mode)}</button>
      ))}
    </span>
  );
}

/** While a session runs: whom, how long, the mode switch and Stop. */
export function MonitoringBar(props: { monitoring: Monitoring; now: number }): preact.JSX.Element | null {
  const t = useT();
  const { monitoring } = props;
  const s = monitoring.session;
  return (
    <>
      <ErrorBanner error={monitoring.error} onDismiss={monitoring.dismissError} />
      {s && (
        <section class="banner info wb-monitor-bar row" role="region" aria-label={t('bar')} data-session-id={s.id}>
          <strong>{t('monitoring')}</strong>
          <span>{s.agentName ?? '—'} · {s.callerNumber ?? t('unknownCaller')}{s.queue ? ` · ${s.queue}` : ''}</span>
          <span class="timer" data-testid="monitoring-elapsed">
            {s.answeredAt ? formatDuration(props.now - Date.parse(s.answeredAt)) : t('ringing')}
          </span>
          <span class="grow muted small">{monitoring.announce === 'tone' ? t('hintTone') : t('hint')}</span>
          <span role="radiogroup" aria-label={t('mode')} class="row">
            {monitoring.modes.map((mode) => (
              <label key={mode} class="inline">
                <input type="radio" name="monitor-mode" checked={s.mode === mode} disabled={monitoring.busy} onChange={() => monitoring.change(mode)} />
                <span>{t(mode)}</span>
              </label>
            ))}
          </span>
          <button type="button" class="danger" disabled={monitoring.busy} onClick={monitoring.stop}>{t('stop')}</button>
        </section>
      )}
    </>
  );
}
