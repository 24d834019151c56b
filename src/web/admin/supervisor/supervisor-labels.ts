import { translator } from '../../shared/i18n';

/**
 * Words the supervisor screens share: agent states, call outcomes, directions,
 * campaign statuses. Unknown codes (a state or outcome added on the server
 * later) are shown as they come rather than hidden.
 */
export const useSupervisorLabels = translator({
  en: {
    'state.ready': 'Ready', 'state.reserved': 'Ringing', 'state.ringing': 'Ringing', 'state.on_call': 'Talking', 'state.talking': 'Talking',
    'state.busy': 'Talking', 'state.wrap_up': 'Wrap-up', 'state.wrapUp': 'Wrap-up', 'state.not_ready': 'Not ready', 'state.notReady': 'Not ready',
    'state.logged_out': 'Offline', 'state.offline': 'Offline',
    'outcome.answered': 'Answered', 'outcome.abandoned_ivr': 'Abandoned in IVR', 'outcome.abandoned_queue': 'Abandoned in queue',
    'outcome.abandoned_ringing': 'Abandoned while ringing', 'outcome.overflowed': 'Overflowed', 'outcome.transferred': 'Transferred',
    'outcome.callback_requested': 'Callback requested', 'outcome.after_hours': 'After hours', 'outcome.failed': 'Failed', 'outcome.rejected': 'Rejected', 'outcome.interrupted': 'Interrupted (server stopped)',
    'direction.inbound': 'Inbound', 'direction.outbound': 'Outbound', 'direction.internal': 'Internal', 'direction.callback': 'Callback',
    'campaign.draft': 'Draft', 'campaign.active': 'Active', 'campaign.done': 'Done',
    'call.pending': 'Pending', 'call.done': 'Reached', 'call.failed': 'Failed', 'call.no_answer': 'No answer', 'call.skipped': 'Skipped',
  },
  ru: {
    'state.ready': 'Готов', 'state.reserved': 'Звонит', 'state.ringing': 'Звонит', 'state.on_call': 'Разговор', 'state.talking': 'Разговор',
    'state.busy': 'Разговор', 'state.wrap_up': 'Обработка', 'state.wrapUp': 'Обработка', 'state.not_ready': 'Не готов', 'state.notReady': 'Не готов',
    'state.logged_out': 'Не в сети', 'state.offline': 'Не в сети',
    'outcome.answered': 'Отвечен', 'outcome.abandoned_ivr': 'Сброшен в IVR', 'outcome.abandoned_queue': 'Сброшен в очереди',
    'outcome.abandoned_ringing': 'Сброшен при вызове', 'outcome.overflowed': 'Переполнение', 'outcome.transferred': 'Переведён',
    'outcome.callback_requested': 'Запрошен обратный звонок', 'outcome.after_hours': 'Нерабочее время', 'outcome.failed': 'Ошибка', 'outcome.rejected': 'Отклонён', 'outcome.interrupted': 'Прерван (сервер остановился)',
    'direction.inbound': 'Входящий', 'direction.outbound': 'Исходящий', 'direction.internal': 'Внутренний', 'direction.callback': 'Обратный звонок',
    'campaign.draft': 'Черновик', 'campaign.active': 'Идёт', 'campaign.done': 'Завершена',
    'call.pending': 'Ожидает', 'call.done': 'Дозвонились', 'call.failed': 'Неудача', 'call.no_answer': 'Нет ответа', 'call.skipped': 'Пропущен',
  },
});

export type LabelKind = 'state' | 'outcome' | 'direction' | 'campaign' | 'call';

/** `label('state', 'on_call')` → "Talking"; an unknown code comes back as it is. */
export function useLabel(): (kind: LabelKind, code: string | null | undefined) => string {
  const t = useSupervisorLabels();
  return (kind, code) => {
    if (code === null || code === undefined || code === '') return '—';
    const key = `${kind}.${code}` as Parameters<typeof t>[0];
    const text = t(key);
    return text === key ? code : text;
  };
}

/** The CSS class of `.badge` for an agent state, whichever spelling the server used. */
export function stateBadgeClass(state: string): string {
  switch (state) {
    case 'ready': return 'ready';
    case 'reserved': case 'ringing': return 'ringing';
    case 'on_call': case 'talking': case 'busy': return 'talking';
    case 'wrap_up': case 'wrapUp': return 'wrap_up';
    case 'not_ready': case 'notReady': return 'not_ready';
    default: return 'offline';
  }
}

/** The time zone reports are cut in: the browser's, which is where the supervisor's day starts. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** `YYYY-MM-DD` of a local date, for <input type="date">. */
export function localDateString(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Start of a local calendar day given as `YYYY-MM-DD`, as an ISO instant. */
export function localDayStartIso(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}
