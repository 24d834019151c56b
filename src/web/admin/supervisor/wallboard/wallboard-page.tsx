import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorBanner } from '../../../shared/components';
import { navigate } from '../../../shared/hash-route';
import { useNow } from '../../../shared/hooks';
import { formatDuration, formatTime, translator, useLocale, type Locale } from '../../../shared/i18n';
import type { AdminPageProps } from '../../pages';
import { stateBadgeClass, useLabel } from '../supervisor-labels';
import { AlertSound } from './alert-sound';
import type { FloorAlert, FloorQueue, FloorSnapshot } from '../../../../api/schemas/floor-schemas';
import type { FloorAgentState } from '../../../../supervisor/floor-agent-states';
import { everyMember } from '../../../shared/every-member';
import { useFloor } from './use-floor';
import { MonitorButtons, MonitoringBar, useMonitoring, type Monitoring } from './monitoring-controls';

const useT = translator({
  en: {
    title: 'Live wallboard', allQueues: 'All queues', queue: 'Queue', sound: 'Sound on alerts', wallMode: 'Wall mode', exitWall: 'Exit wall mode',
    live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', closed: 'Disconnected', updatedAt: 'updated {time}',
    waiting: 'Waiting', longestWait: 'Longest wait', slToday: 'Service level today', sl30: 'Last 30 min', answered: 'Answered', abandoned: 'Abandoned',
    target: 'target {percent} % in {seconds} s', agents: 'Agents', alerts: 'Alerts', noAlerts: 'No alerts',
    waitingCalls: 'Waiting calls', noWaiting: 'Nobody is waiting.', agentsList: 'Agents', noAgents: 'No agents are signed in.',
    position: '#', client: 'Client', type: 'Type', wait: 'Wait', priority: 'Priority', name: 'Name', state: 'State', timeInState: 'Time in state',
    currentCall: 'Current call', queues: 'Queues', unknownClient: 'Unknown caller', loading: 'Loading the floor…', noQueues: 'No queues are configured.',
    longestShort: 'Longest', slTodayShort: 'SL today', sl30Short: 'SL 30 min', noMembers: 'No agents',
    'agents.ready': 'Ready', 'agents.ringing': 'Ringing', 'agents.talking': 'Talking', 'agents.wrapUp': 'Wrap-up', 'agents.notReady': 'Not ready', 'agents.offline': 'Offline',
    'alert.service_level': 'Service level', 'alert.long_wait': 'Long wait',
    alertSl: '{queue}: {sl} % answered within {seconds} s over the last 30 min, under the {target} % target',
    alertWait: '{queue}: callers waiting too long (longest {longest})', queueTiles: 'Queues', callback: 'callback', showOffline: 'Show signed-out agents ({n})', queueFilter: 'Show queue',
  },
  ru: {
    title: 'Табло в реальном времени', allQueues: 'Все очереди', queue: 'Очередь', sound: 'Звук при тревогах', wallMode: 'Режим табло', exitWall: 'Выйти из режима табло',
    live: 'В эфире', connecting: 'Подключение…', reconnecting: 'Переподключение…', closed: 'Нет связи', updatedAt: 'обновлено {time}',
    waiting: 'Ожидают', longestWait: 'Дольше всех', slToday: 'Уровень сервиса сегодня', sl30: 'За 30 мин', answered: 'Отвечено', abandoned: 'Потеряно',
    target: 'цель {percent} % за {seconds} с', agents: 'Операторы', alerts: 'Тревоги', noAlerts: 'Тревог нет',
    waitingCalls: 'Звонки в очереди', noWaiting: 'Никто не ждёт.', agentsList: 'Операторы', noAgents: 'Нет операторов в сети.',
    position: '№', client: 'Клиент', type: 'Тип', wait: 'Ожидание', priority: 'Приоритет', name: 'Имя', state: 'Состояние', timeInState: 'В состоянии',
    currentCall: 'Текущий звонок', queues: 'Очереди', unknownClient: 'Неизвестный абонент', loading: 'Загрузка…', noQueues: 'Очереди не настроены.',
    longestShort: 'Макс. ожид.', slTodayShort: 'УС сегодня', sl30Short: 'УС 30 мин', noMembers: 'Нет операторов',
    'agents.ready': 'Готовы', 'agents.ringing': 'Вызов', 'agents.talking': 'Разговор', 'agents.wrapUp': 'Обработка', 'agents.notReady': 'Не готовы', 'agents.offline': 'Не в сети',
    'alert.service_level': 'Уровень сервиса', 'alert.long_wait': 'Долгое ожидание',
    alertSl: '{queue}: за последние 30 мин в течение {seconds} с отвечено {sl} % — ниже цели {target} %',
    alertWait: '{queue}: абоненты ждут слишком долго (дольше всех {longest})', queueTiles: 'Очереди', callback: 'обратный звонок', showOffline: 'Показать не в сети ({n})', queueFilter: 'Показать очередь',
  },
});

type T = ReturnType<typeof useT>;

/** The ACD's default call priority (0–9); only calls above it are flagged as priority calls. */
const DEFAULT_PRIORITY = 5;

/** A wallboard shows whole percents: "100 %" fits a tile where "100.0 %" does not, and tenths mean nothing across a room. */
function wholePercent(percent: number | null): string {
  return percent === null ? '—' : `${Math.round(percent)} %`;
}

/** The states counted per queue, in the order the wallboard shows them. */
const FLOOR_AGENT_STATES = everyMember<FloorAgentState>()(['ready', 'ringing', 'talking', 'wrapUp', 'notReady', 'offline']);

const STATE_COLORS: Record<FloorAgentState, string> = {
  ready: 'var(--ready)', ringing: 'var(--ringing)', talking: 'var(--talking)', wrapUp: 'var(--wrap)', notReady: 'var(--not-ready)', offline: 'var(--offline)',
};

/** Below target → bad; within five points of it → warn. `percent` is 0–100 as the server sends it. */
function slClass(percent: number | null, targetPercent: number): string {
  if (percent === null) return '';
  if (percent < targetPercent) return 'bad';
  if (percent < targetPercent + 5) return 'warn';
  return 'good';
}

function alertKey(a: FloorAlert): string {
  return `${a.kind}:${a.queue}`;
}

/** The live floor (issue 7): queues, waiting calls and agents, updated by the server over a WebSocket. */
export function WallboardPage(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const wall = props.route.segments[1] === 'wall';
  const floor = useFloor();
  const monitoring = useMonitoring(props.user);
  const now = useNow(1000);
  const [queueFilter, setQueueFilter] = useState(props.route.query.get('queue') ?? '');
  const [soundOn, setSoundOn] = useState(false);
  // Signed-out agents are many and say little during a shift; they are counted on the tiles either way.
  const [showOffline, setShowOffline] = useState(false);
  const sound = useRef(new AlertSound());
  const seenAlerts = useRef<Set<string>>(new Set());

  const snapshot = floor.snapshot;
  const alerts = snapshot?.alerts ?? [];

  // A chime for alerts that were not there before; alerts that clear and come back chime again.
  useEffect(() => {
    const current = new Set(alerts.map(alertKey));
    const fresh = [...current].some((k) => !seenAlerts.current.has(k));
    seenAlerts.current = current;
    if (fresh && soundOn) sound.current.chime();
  }, [snapshot]);

  useEffect(() => () => sound.current.disable(), []);

  // Escape leaves wall mode, as it leaves full screen.
  useEffect(() => {
    if (!wall) return undefined;
    const onKey = (e: KeyboardEvent): void => { if (e.key === 'Escape') navigate('wallboard'); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [wall]);

  const toggleSound = (on: boolean): void => {
    if (on) sound.current.enable();
    else sound.current.disable();
    setSoundOn(on);
  };

  // `now` only makes the page re-render every second; the clock is read here so that a snapshot arriving between two
  // ticks never makes a timer step back.
  const elapsed = Math.max(0, Math.max(now, Date.now()) - floor.receivedAt);
  const view = useMemo(() => filterSnapshot(snapshot, queueFilter), [snapshot, queueFilter]);

  const statusText = { open: t('live'), connecting: t('connecting'), reconnecting: t('reconnecting'), closed: t('closed') }[floor.status];
  const controls = (
    <div class="wb-controls row">
      <span class={`wb-status ${floor.status}`} role="status" aria-live="polite">
        <span class="dot" aria-hidden="true" />{statusText}
        {snapshot && <span class="muted"> · {t('updatedAt', { time: formatTime(new Date(floor.receivedAt).toISOString()) })}</span>}
      </span>
      <span class="grow" />
      <label class="inline">
        <span>{t('queueFilter')}</span>
        <select aria-label={t('queueFilter')} value={queueFilter} onChange={(e) => setQueueFilter(e.currentTarget.value)}>
          <option value="">{t('allQueues')}</option>
          {(snapshot?.queues ?? []).map((q) => <option key={q.name} value={q.name}>{q.label}</option>)}
        </select>
      </label>
      <label class="inline sv-check">
        <input type="checkbox" checked={soundOn} onChange={(e) => toggleSound(e.currentTarget.checked)} />
        <span>{t('sound')}</span>
      </label>
      {wall
        ? <button type="button" onClick={() => navigate('wallboard')}>{t('exitWall')}</button>
        : <button type="button" class="primary" onClick={() => navigate('wallboard/wall')}>{t('wallMode')}</button>}
    </div>
  );

  const body = !view ? (
    floor.error ? null : <p class="muted" role="status">{t('loading')}</p>
  ) : (
    <>
      <AlertList alerts={view.alerts} queues={view.queues} elapsedMs={elapsed} t={t} />
      <div class="wb-body">
        <section class="wb-queues" aria-label={t('queueTiles')}>
          {view.queues.length === 0 && <p class="muted">{t('noQueues')}</p>}
          {view.queues.map((q) => <QueueTile key={q.name} queue={q} elapsedMs={elapsed} alerting={view.alerts.some((a) => a.queue === q.name)} t={t} />)}
        </section>
        <div class="wb-lists">
          <WaitingCalls snapshot={view} elapsedMs={elapsed} t={t} />
          <AgentsTable snapshot={view} elapsedMs={elapsed} showOffline={showOffline} onShowOffline={setShowOffline} monitoring={monitoring} t={t} />
        </div>
      </div>
    </>
  );

  return (
    <div class={wall ? 'wallboard wall' : 'wallboard'} aria-label={t('title')} role="region">
      <div class="row wb-head">
        <h1>{t('title')}</h1>
        {controls}
      </div>
      <ErrorBanner error={floor.error} />
      <MonitoringBar monitoring={monitoring} now={Math.max(now, Date.now())} />
      {body}
    </div>
  );
}

/** The snapshot narrowed to one queue (its calls, its agents, its alerts), or as is. */
function filterSnapshot(snapshot: FloorSnapshot | null, queue: string): FloorSnapshot | null {
  if (!snapshot || !queue) return snapshot;
  return {
    ...snapshot,
    queues: snapshot.queues.filter((q) => q.name === queue),
    waitingCalls: snapshot.waitingCalls.filter((c) => c.queue === queue),
    agents: snapshot.agents.filter((a) => a.queues.includes(queue)),
    alerts: snapshot.alerts.filter((a) => a.queue === queue),
  };
}

/**
 * The server words its alerts in English; in Russian the line is rebuilt from
 * the queue's own figures so that a Russian-speaking floor reads its own language.
 */
function alertText(alert: FloorAlert, queue: FloorQueue | undefined, locale: Locale, elapsedMs: number, t: T): string {
  if (locale === 'en' || !queue) return alert.message;
  if (alert.kind === 'service_level') {
    return t('alertSl', { queue: queue.label, sl: queue.serviceLevel30m ?? '—', seconds: queue.slTarget.seconds, target: queue.slTarget.percent });
  }
  if (alert.kind === 'long_wait') {
    return t('alertWait', { queue: queue.label, longest: formatDuration(queue.longestWaitMs + (queue.waiting > 0 ? elapsedMs : 0)) });
  }
  return alert.message;
}

function AlertList(props: { alerts: FloorAlert[]; queues: FloorQueue[]; elapsedMs: number; t: T }): preact.JSX.Element {
  const { t } = props;
  const locale = useLocale();
  return (
    <section class="wb-alerts" aria-label={t('alerts')} aria-live="assertive">
      {props.alerts.map((a) => (
        <div key={alertKey(a)} class={`banner ${a.kind === 'service_level' ? 'error' : 'warn'} wb-alert`} role="alert" data-alert={a.kind} data-queue={a.queue}>
          <strong>{a.kind === 'service_level' || a.kind === 'long_wait' ? t(`alert.${a.kind}`) : a.kind}</strong>
          <span>{alertText(a, props.queues.find((q) => q.name === a.queue), locale, props.elapsedMs, t)}</span>
        </div>
      ))}
    </section>
  );
}

function QueueTile(props: { queue: FloorQueue; elapsedMs: number; alerting: boolean; t: T }): preact.JSX.Element {
  const { queue: q, t } = props;
  const totalAgents = FLOOR_AGENT_STATES.reduce((n, s) => n + (q.agents[s] ?? 0), 0);
  // The longest wait grows between snapshots only while somebody is waiting.
  const longest = q.waiting > 0 ? q.longestWaitMs + props.elapsedMs : 0;
  const longClass = q.waiting > 0 && longest > q.slTarget.seconds * 1000 ? 'bad' : '';
  const present = FLOOR_AGENT_STATES.filter((s) => (q.agents[s] ?? 0) > 0);
  return (
    <article class={`card wb-queue${props.alerting ? ' alerting' : ''}${q.waiting > 0 ? ' busy' : ''}`} aria-label={`${t('queue')} ${q.label}`} data-queue={q.name}>
      <header>
        <h2 title={q.label}>{q.label}</h2>
        <span class="muted small">{t('target', { percent: q.slTarget.percent, seconds: q.slTarget.seconds })}</span>
      </header>
      <div class="wb-figures">
        <div class={`wb-figure big${q.waiting > 0 ? ' active' : ''}`}>
          <span class="label">{t('waiting')}</span>
          <span class="value" data-testid="waiting-count">{q.waiting}</span>
        </div>
        <div class={`wb-figure ${longClass}`} title={t('longestWait')}>
          <span class="label">{t('longestShort')}</span>
          <span class="value">{formatDuration(longest)}</span>
        </div>
        <div class={`wb-figure ${slClass(q.serviceLevelToday, q.slTarget.percent)}`} title={t('slToday')}>
          <span class="label">{t('slTodayShort')}</span>
          <span class="value">{wholePercent(q.serviceLevelToday)}</span>
        </div>
        <div class={`wb-figure ${slClass(q.serviceLevel30m, q.slTarget.percent)}`} title={t('sl30')}>
          <span class="label">{t('sl30Short')}</span>
          <span class="value">{wholePercent(q.serviceLevel30m)}</span>
        </div>
      </div>
      <div class="wb-sub">
        <span>{t('answered')} <strong>{q.answeredToday}</strong></span>
        <span class={q.abandonedToday > 0 ? 'warn' : ''}>{t('abandoned')} <strong>{q.abandonedToday}</strong></span>
      </div>
      <div class="wb-agent-bar" role="img" aria-label={`${t('agents')}: ${FLOOR_AGENT_STATES.map((s) => `${t(`agents.${s}`)} ${q.agents[s] ?? 0}`).join(', ')}`}>
        {present.map((s) => <span key={s} style={{ flexGrow: q.agents[s], background: STATE_COLORS[s] }} title={`${t(`agents.${s}`)}: ${q.agents[s]}`} />)}
        {totalAgents === 0 && <span class="empty" />}
      </div>
      <ul class="wb-agent-counts" aria-hidden="true">
        {present.length === 0 && <li>{t('noMembers')}</li>}
        {present.map((s) => (
          <li key={s}><span class="swatch" style={{ background: STATE_COLORS[s] }} />{t(`agents.${s}`)} <strong>{q.agents[s] ?? 0}</strong></li>
        ))}
      </ul>
    </article>
  );
}

function WaitingCalls(props: { snapshot: FloorSnapshot; elapsedMs: number; t: T }): preact.JSX.Element {
  const { t } = props;
  const labelOf = new Map(props.snapshot.queues.map((q) => [q.name, q]));
  const calls = [...props.snapshot.waitingCalls].sort((a, b) => b.waitMs - a.waitMs);
  return (
    <section class="card wb-list" aria-label={t('waitingCalls')}>
      <h2>{t('waitingCalls')} <span class="badge">{calls.length}</span></h2>
      {calls.length === 0 ? <p class="muted empty-state">{t('noWaiting')}</p> : (
        <table>
          <thead><tr><th class="num">{t('position')}</th><th>{t('client')}</th><th>{t('type')}</th><th>{t('queue')}</th><th class="num">{t('wait')}</th></tr></thead>
          <tbody>
            {calls.map((c) => {
              const queue = labelOf.get(c.queue);
              const wait = c.waitMs + props.elapsedMs;
              const over = queue ? wait > queue.slTarget.seconds * 1000 : false;
              return (
                <tr key={c.callId} class={over ? 'over' : ''} data-call-id={c.callId}>
                  <td class="num">{c.position}</td>
                  <td>{c.clientName ?? <span class="muted">{t('unknownClient')}</span>}{c.priority > DEFAULT_PRIORITY && <span class="badge bad" title={t('priority')}>P{c.priority}</span>}{c.kind === 'callback' && <span class="badge">{t('callback')}</span>}</td>
                  <td>{c.clientType ?? '—'}</td>
                  <td>{queue?.label ?? c.queue}</td>
                  <td class="num timer">{formatDuration(wait)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AgentsTable(props: { snapshot: FloorSnapshot; elapsedMs: number; showOffline: boolean; onShowOffline: (on: boolean) => void; monitoring: Monitoring; t: T }): preact.JSX.Element {
  const { t } = props;
  const label = useLabel();
  const order = ['talking', 'ringing', 'wrapUp', 'ready', 'notReady', 'offline'];
  const offline = props.snapshot.agents.filter((a) => a.state === 'offline').length;
  const agents = props.snapshot.agents.filter((a) => props.showOffline || a.state !== 'offline').sort((a, b) => {
    const byState = (order.indexOf(a.state) + 100) % 100 - (order.indexOf(b.state) + 100) % 100;
    return byState !== 0 ? byState : a.name.localeCompare(b.name);
  });
  return (
    <section class="card wb-list" aria-label={t('agentsList')}>
      <div class="row">
        <h2 class="grow">{t('agentsList')} <span class="badge">{agents.length}</span></h2>
        <label class="inline sv-check small">
          <input type="checkbox" checked={props.showOffline} onChange={(e) => props.onShowOffline(e.currentTarget.checked)} />
          <span>{t('showOffline', { n: offline })}</span>
        </label>
      </div>
      {agents.length === 0 ? <p class="muted empty-state">{t('noAgents')}</p> : (
        <table>
          <thead><tr><th>{t('name')}</th><th>{t('state')}</th><th class="num">{t('timeInState')}</th><th>{t('currentCall')}</th><th>{t('queues')}</th></tr></thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.staffId} data-staff-id={a.staffId}>
                <td>{a.name}</td>
                <td>
                  <span class={`badge ${stateBadgeClass(a.state)}`}>{label('state', a.state)}</span>
                  {a.reason && <span class="muted small"> {a.reason}</span>}
                </td>
                <td class="num timer">{formatDuration(a.sinceMs + props.elapsedMs)}</td>
                <td>
                  {a.currentCallId ? <code title={a.currentCallId}>{a.currentCallId.slice(0, 8)}</code> : '—'}
                  {a.currentCallId && a.state === 'talking' && <MonitorButtons monitoring={props.monitoring} callId={a.currentCallId} agentName={a.name} agentQueues={a.queues} />}
                </td>
                <td class="small">{a.queues.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
