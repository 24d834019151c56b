import { api } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { useAsync } from '../../../shared/hooks';
import { formatDateTime, formatDuration, formatMoney, translator } from '../../../shared/i18n';
import { useLabel } from '../supervisor-labels';
import type { StoredCallView as StoredCall, StoredCallEvent, TransferFact } from '../../../../api/schemas/call-schemas';
import { RecordingPlayer } from './recording-player';

const useT = translator({
  en: {
    back: '← Back to the call log', title: 'Call from {number}', loading: 'Loading the call…', facts: 'Call facts', started: 'Started',
    ended: 'Ended', duration: 'Duration', direction: 'Direction', client: 'Client', clientType: 'Client type', queue: 'Queue', wait: 'Queue wait',
    talk: 'Talk', hold: 'Hold', agents: 'Agents', disposition: 'Disposition', outcome: 'Outcome', hangup: 'Hung up by', routing: 'Routing reason',
    dialed: 'Dialed', trunk: 'Trunk', ivrVersion: 'IVR flow version', ivrPath: 'IVR path', noIvr: 'The caller did not go through the IVR.',
    digits: 'pressed {digits}', timeline: 'Timeline', transfers: 'Transfers', noTransfers: 'No transfers.', wrapUps: 'Wrap-up',
    noWrapUp: 'No wrap-up was written.', notes: 'Notes', order: 'Order', amount: 'Amount', paymentForm: 'Payment form', deliveryDate: 'Delivery date', shippingDetails: 'Shipping details', recording: 'Recording', noRecording: 'This call was not recorded.',
    purged: 'The recording was deleted on {date} under the retention period.', unknown: 'unknown', by: 'by {name}', 'side.caller': 'the caller',
    'side.agent': 'the agent', 'side.system': 'the system', 'result.completed': 'completed', 'result.cancelled': 'cancelled', 'result.failed': 'failed',
    'result.pending': 'in progress', blind: 'Blind', warm: 'Warm',
    'ev.started': 'Call arrived', 'ev.answered': 'Answered by the system', 'ev.caller_identified': 'Caller identified', 'ev.ivr_started': 'IVR started',
    'ev.ivr_step': 'IVR step', 'ev.routed': 'Routed', 'ev.fallback': 'Fallback', 'ev.overflowed': 'Overflowed', 'ev.queued': 'Queued',
    'ev.announcement': 'Announcement', 'ev.callback_requested': 'Callback requested', 'ev.offered': 'Agent rung', 'ev.offer_missed': 'Agent did not answer',
    'ev.agent_answered': 'Agent answered', 'ev.hold': 'On hold', 'ev.resume': 'Resumed', 'ev.transfer_started': 'Transfer started',
    'ev.transfer_cancelled': 'Transfer cancelled', 'ev.recording_started': 'Recording started', 'ev.recording_stopped': 'Recording stopped',
    'ev.remote_answered': 'Far end answered', 'ev.dtmf': 'Key pressed', 'ev.note': 'Note', 'ev.ended': 'Call ended',
  },
  ru: {
    back: '← К журналу звонков', title: 'Звонок с {number}', loading: 'Загрузка звонка…', facts: 'Сведения о звонке', started: 'Начало',
    ended: 'Конец', duration: 'Длительность', direction: 'Направление', client: 'Клиент', clientType: 'Тип клиента', queue: 'Очередь', wait: 'Ожидание в очереди',
    talk: 'Разговор', hold: 'Удержание', agents: 'Операторы', disposition: 'Результат обработки', outcome: 'Исход', hangup: 'Завершил', routing: 'Причина маршрута',
    dialed: 'Набранный номер', trunk: 'Транк', ivrVersion: 'Версия IVR', ivrPath: 'Путь по IVR', noIvr: 'Абонент не проходил IVR.',
    digits: 'нажал {digits}', timeline: 'Хронология', transfers: 'Переводы', noTransfers: 'Переводов нет.', wrapUps: 'Обработка',
    noWrapUp: 'Обработка не заполнена.', notes: 'Заметки', order: 'Заказ', amount: 'Сумма', paymentForm: 'Форма оплаты', deliveryDate: 'Дата поставки', shippingDetails: 'Отгрузка и доставка', recording: 'Запись', noRecording: 'Звонок не записан.',
    purged: 'Запись удалена {date} по сроку хранения.', unknown: 'неизвестно', by: '{name}', 'side.caller': 'абонент',
    'side.agent': 'оператор', 'side.system': 'система', 'result.completed': 'выполнен', 'result.cancelled': 'отменён', 'result.failed': 'не удался',
    'result.pending': 'идёт', blind: 'Слепой', warm: 'С консультацией',
    'ev.started': 'Звонок поступил', 'ev.answered': 'Ответила система', 'ev.caller_identified': 'Абонент определён', 'ev.ivr_started': 'Начало IVR',
    'ev.ivr_step': 'Шаг IVR', 'ev.routed': 'Маршрут выбран', 'ev.fallback': 'Запасной маршрут', 'ev.overflowed': 'Переполнение', 'ev.queued': 'В очереди',
    'ev.announcement': 'Объявление', 'ev.callback_requested': 'Запрошен обратный звонок', 'ev.offered': 'Вызов оператора', 'ev.offer_missed': 'Оператор не ответил',
    'ev.agent_answered': 'Оператор ответил', 'ev.hold': 'Удержание', 'ev.resume': 'Снято с удержания', 'ev.transfer_started': 'Начат перевод',
    'ev.transfer_cancelled': 'Перевод отменён', 'ev.recording_started': 'Запись начата', 'ev.recording_stopped': 'Запись остановлена',
    'ev.remote_answered': 'Ответила другая сторона', 'ev.dtmf': 'Нажата клавиша', 'ev.note': 'Заметка', 'ev.ended': 'Звонок завершён',
  },
});
type T = ReturnType<typeof useT>;
type Key = Parameters<T>[0];

interface StaffRef { id: number; fullName: string }
interface ClientRef { id: number; name: string }

/** Data fields shown on a timeline line; the lifecycle's own from/to are shown as an arrow instead. */
function eventDetails(event: StoredCallEvent, staffName: (id: number) => string): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(event.data)) {
    if (key === 'from' || key === 'to' || value === null || value === undefined || value === '') continue;
    if ((key === 'agentId' || key === 'staffId' || key === 'byAgentId') && typeof value === 'number') parts.push(`${key}: ${staffName(value)}`);
    else parts.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return parts.join(' · ');
}

function offset(startIso: string, atIso: string | number): string {
  const ms = (typeof atIso === 'number' ? atIso : new Date(atIso).getTime()) - new Date(startIso).getTime();
  return `+${formatDuration(ms)}`;
}

function transferTarget(target: TransferFact['target'], staffName: (id: number) => string): string {
  if (target.label) return target.label;
  if (target.kind === 'queue' && target.queue) return target.queue;
  if (target.kind === 'person' && target.staffId !== undefined) return staffName(target.staffId);
  if (target.kind === 'department' && target.department) return target.department;
  return target.number ?? target.kind;
}

/** One call: facts, IVR path, routing reason, queue wait, rings, transfers, wrap-up, and its recording. */
export function CallDetail(props: { callId: string; backQuery: string }): preact.JSX.Element {
  const t = useT();
  const label = useLabel();
  const call = useAsync(() => api.get<StoredCall>(`/api/calls/${encodeURIComponent(props.callId)}`), [props.callId]);
  const staff = useAsync(() => api.get<StaffRef[]>('/api/staff?limit=1000'), []);
  const clientId = call.data?.clientId ?? null;
  const client = useAsync(() => (clientId === null ? Promise.resolve(null) : api.get<ClientRef>(`/api/clients/${clientId}`)), [clientId]);
  const names = new Map((staff.data ?? []).map((s) => [s.id, s.fullName]));
  const staffName = (id: number): string => names.get(id) ?? `#${id}`;
  const back = `#/calls${props.backQuery ? `?${props.backQuery}` : ''}`;

  const c = call.data;
  return (
    <div class="stack call-detail">
      <a href={back}>{t('back')}</a>
      <ErrorBanner error={call.error ?? staff.error} />
      {call.loading && !c && <p class="muted" role="status">{t('loading')}</p>}
      {c && (
        <>
          <div class="row">
            <h1 class="grow">{t('title', { number: c.callerNumber })}</h1>
            <span class={`badge outcome ${c.outcome ?? ''}`}>{label('outcome', c.outcome)}</span>
          </div>
          <section class="card" aria-label={t('facts')}>
            <dl class="call-facts">
              <Fact name={t('started')} value={formatDateTime(c.startedAt)} />
              <Fact name={t('ended')} value={formatDateTime(c.endedAt)} />
              <Fact name={t('duration')} value={c.endedAt ? formatDuration(new Date(c.endedAt).getTime() - new Date(c.startedAt).getTime()) : '—'} />
              <Fact name={t('direction')} value={label('direction', c.direction)} />
              <Fact name={t('client')} value={client.data?.name ?? (c.clientId === null ? '—' : `#${c.clientId}`)} />
              <Fact name={t('clientType')} value={c.clientType ?? '—'} />
              <Fact name={t('queue')} value={c.queueName ?? '—'} />
              <Fact name={t('wait')} value={formatDuration(c.queueWaitMs)} />
              <Fact name={t('talk')} value={formatDuration(c.talkMs)} />
              <Fact name={t('hold')} value={formatDuration(c.holdMs)} />
              <Fact name={t('agents')} value={c.agentIds.map(staffName).join(', ') || '—'} />
              <Fact name={t('disposition')} value={c.dispositionCode ?? '—'} />
              <Fact name={t('hangup')} value={c.hangupSide ? `${t(`side.${c.hangupSide}` as Key)}${c.hangupCause ? ` (${c.hangupCause})` : ''}` : '—'} />
              <Fact name={t('dialed')} value={c.dialedNumber ?? '—'} />
              <Fact name={t('ivrVersion')} value={c.ivrFlowVersion === null ? '—' : String(c.ivrFlowVersion)} />
              <Fact name={t('routing')} value={c.routingReason ?? '—'} wide />
            </dl>
          </section>
          <div class="detail-columns">
            <section class="card" aria-label={t('timeline')}>
              <h2>{t('timeline')}</h2>
              <ol class="timeline">
                {c.events.map((e) => (
                  <li key={e.seq} class={`ev ${e.type}`} data-event={e.type}>
                    <span class="at">{offset(c.startedAt, e.at)}</span>
                    <span class="what">
                      <strong>{t(`ev.${e.type}` as Key) === `ev.${e.type}` ? e.type : t(`ev.${e.type}` as Key)}</strong>
                      {typeof e.data.from === 'string' && typeof e.data.to === 'string' && <span class="muted"> {e.data.from} → {e.data.to}</span>}
                      <span class="details">{eventDetails(e, staffName)}</span>
                    </span>
                  </li>
                ))}
              </ol>
            </section>
            <div class="stack">
              <section class="card" aria-label={t('ivrPath')}>
                <h2>{t('ivrPath')}</h2>
                {c.ivrPath.length === 0 ? <p class="muted">{t('noIvr')}</p> : (
                  <ol class="ivr-path">
                    {c.ivrPath.map((step, i) => (
                      <li key={i}><code>{step.nodeId}</code>{step.digits && <span class="badge">{t('digits', { digits: step.digits })}</span>}<span class="muted small"> {offset(c.startedAt, step.at)}</span></li>
                    ))}
                  </ol>
                )}
              </section>
              <section class="card" aria-label={t('transfers')}>
                <h2>{t('transfers')}</h2>
                {c.transfers.length === 0 ? <p class="muted">{t('noTransfers')}</p> : (
                  <ul class="plain">
                    {c.transfers.map((tr, i) => (
                      <li key={i}>
                        <strong>{t(tr.kind)}</strong> → {transferTarget(tr.target, staffName)}
                        {tr.byAgentId !== null && <span class="muted"> ({t('by', { name: staffName(tr.byAgentId) })})</span>}
                        <span class="badge">{t(`result.${tr.result}` as Key)}</span>
                        <span class="muted small"> {offset(c.startedAt, tr.startedAt)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section class="card" aria-label={t('wrapUps')}>
                <h2>{t('wrapUps')}</h2>
                {c.wrapUps.length === 0 ? <p class="muted">{t('noWrapUp')}</p> : c.wrapUps.map((w, i) => (
                  <dl class="call-facts" key={i}>
                    <Fact name={t('agents')} value={staffName(w.staffId)} />
                    <Fact name={t('disposition')} value={w.dispositionCode} />
                    {w.orderReference && <Fact name={t('order')} value={w.orderReference} />}
                    {w.orderAmount !== null && <Fact name={t('amount')} value={formatMoney(w.orderAmount)} />}
                    {w.paymentForm && <Fact name={t('paymentForm')} value={w.paymentForm} />}
                    {w.deliveryDate && <Fact name={t('deliveryDate')} value={w.deliveryDate} />}
                    {w.shippingDetails && <Fact name={t('shippingDetails')} value={w.shippingDetails} wide />}
                    {w.notes && <Fact name={t('notes')} value={w.notes} wide />}
                  </dl>
                ))}
              </section>
            </div>
          </div>
          <section class="card" aria-label={t('recording')}>
            <h2>{t('recording')}</h2>
            {!c.recording ? <p class="muted">{t('noRecording')}</p>
              : c.recording.purgedAt ? <p class="muted">{t('purged', { date: formatDateTime(c.recording.purgedAt) })}</p>
                : <RecordingPlayer recordingId={c.recording.id} callId={c.id} sampleRate={c.recording.sampleRate} channels={c.recording.channels} durationMs={c.recording.durationMs} />}
          </section>
        </>
      )}
    </div>
  );
}

function Fact(props: { name: string; value: string; wide?: boolean }): preact.JSX.Element {
  return (
    <div class={props.wide ? 'call-fact wide' : 'call-fact'}>
      <dt>{props.name}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
