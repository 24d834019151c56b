import { translator, type Translate } from '../shared/i18n';
import type { AgentState } from './softphone-api';

/** Every label of the softphone screen, in English and Russian (the Russian one is typed by the English keys). */
const en = {
  // status bar
  signedInAs: 'Signed in as', serverConnection: 'Connection to the server', phoneConnection: 'Phone registration',
  serverLive: 'Server: live', serverConnecting: 'Server: connecting…', serverReconnecting: 'Server: reconnecting… (attempt {n})', serverClosed: 'Server: disconnected',
  phoneNone: 'Phone: no SIP login', phoneOffline: 'Telephony offline', phoneStopped: 'Phone: stopped', phoneConnecting: 'Phone: connecting…',
  phoneRegistering: 'Phone: registering…', phoneRegistered: 'Phone: registered', phoneReconnecting: 'Phone: reconnecting… (attempt {n})', phoneRejected: 'Phone: registration refused',
  settings: 'Settings', shortcutsHelp: 'Keyboard shortcuts',
  role_operator: 'operator', role_key_account_manager: 'key-account manager', role_department_head: 'department head', role_finance: 'finance',
  role_quality: 'quality control', role_supervisor: 'supervisor', role_admin: 'admin',
  // banners
  noSipLogin: 'You have no SIP login: calls cannot ring on this page. Ask an admin to give you one.',
  telephonyOffline: 'Telephony offline: the server runs without SIP, so calls cannot ring here. Everything else works.',
  phoneLost: 'Connection to the phone server lost — reconnecting (attempt {n}, next try in {s} s).',
  callContinues: 'The call in progress continues while the media flows.',
  phoneRefused: 'The phone server refused the registration ({why}). Retrying with fresh credentials.',
  eventsLost: 'Live updates interrupted — reconnecting (attempt {n}). Your state is re-read when the connection is back.',
  loadingConfig: 'Loading your softphone…', cannotStart: 'The softphone cannot start', retry: 'Try again',
  // agent state
  myState: 'My state', stateUnknown: 'unknown', inStateFor: 'for {d}', wrapUpLeft: 'wrap-up time left', endWrapUp: 'End wrap-up',
  extendWrapUp: '+{s} s', ready: 'Ready', notReady: 'Not ready', notReadyReason: 'Not-ready reason', logOutQueues: 'Log out of the queues',
  state_logged_out: 'Logged out', state_ready: 'Ready', state_reserved: 'Call offered', state_on_call: 'On a call', state_wrap_up: 'Wrap-up', state_not_ready: 'Not ready',
  // phone
  phone: 'Phone', noCall: 'No call', placing: 'Calling {who}… your phone rings first', incomingCall: 'Incoming call', outboundRinging: 'Your call is being connected',
  connecting: 'Connecting…', inCall: 'In call', onHold: 'On hold — the caller hears music', callEnded: 'Call ended', unknownNumber: 'Unknown number',
  callTimer: 'Call duration', answer: 'Answer', decline: 'Decline', hangUp: 'Hang up', hold: 'Hold', resume: 'Resume', mute: 'Mute', unmute: 'Unmute',
  monitorListening: 'Listening to {who}', monitorWhispering: 'Whispering to {who}', monitorBarging: 'In the call {who}', monitorSomeCall: 'a call',
  monitorNobodyHears: 'Neither party hears you or is told.', monitorStop: 'Stop monitoring',
  monitorModes: 'Monitoring mode', monitorModeListen: 'Listen', monitorModeWhisper: 'Whisper', monitorModeBarge: 'Barge',
  monitorMicStarting: 'Turning your microphone on…', monitorMicOn: 'Your microphone is on.', monitorMicAgent: 'Your microphone is on: {who} hears you',
  monitorMicBoth: 'Your microphone is on: both the caller and the agent hear you', monitorTheAgent: 'the agent',
  monitorMicFailed: 'Your microphone could not be turned on ({why}): nobody hears you. Allow the microphone for this site, then switch to Listen and back.',
  coaching: 'Coaching: {who} is speaking to you — the caller does not hear them', coachSomeone: 'your supervisor',
  coachingJoined: '{who} has joined the call: you and the caller both hear them',
  keypad: 'Keypad', transfer: 'Transfer', sendKey: 'Send key', keysSent: 'Keys sent', mediaInterrupted: 'Audio interrupted — trying to recover…',
  mediaFailed: 'Audio lost. Hang up and ask the caller to call again if it does not come back.',
  dialPad: 'Dial pad', numberToCall: 'Number to call', dialKey: 'Dial', call: 'Call', clearNumber: 'Clear the number', cancelPlacing: 'Stop waiting',
  noDialOut: 'Calls to outside numbers are not enabled for you; internal addresses (a colleague, ivr-draft-<flow>) still work.', phoneNotReady: 'The phone is not registered or is busy: the call cannot be placed now.',
  dialing: 'Calling {who}…', callingRinging: 'Calling {who}… ringing', ringTimer: 'Ringing for',
  farBusy: 'Busy — {who}', farDeclined: 'Declined — {who} rejected the call', farNoAnswer: 'No answer from {who}',
  farUnavailable: '{who} cannot be reached', farFailed: 'The call to {who} could not be connected', dismissNotice: 'Dismiss',
  callRefused: 'The call to {who} was refused: {why}', dialNoPhone: 'Cannot call {who}: you have no SIP login, so this page has no phone.',
  dialPlaceholder: '+7 495 … or ivr-draft-main',
  dialledTitle: 'Your call to {who}', dialledText: 'A call you placed: there is no client card for it. Menu keys go through the keypad of the phone panel.',
  placingTimedOut: 'The server did not ring your phone for this call within a minute.',
  // card
  clientCard: 'Client card', newClient: 'New client', notInDirectory: 'not in the directory', callClient: 'Call',
  debtWarning: 'Debt — do not take an order.', overdueAmount: 'Overdue: {amount}', overLimit: 'Over the limit: balance {balance} of {limit}',
  debtRule: 'Tell the client about the debt and transfer to their manager or to finance.',
  manager: 'Manager', noManager: 'none assigned', region: 'Region', language: 'Language', balance: 'Balance / limit', notes: 'Notes',
  routingReason: 'Why it came to you', ivrPath: 'IVR path', queue: 'Queue', waited: 'Waited', lastCalls: 'Last calls', noLastCalls: 'No earlier calls.',
  when: 'When', outcome: 'Outcome', disposition: 'Disposition', agent: 'Agent', talk: 'Talk',
  quickCreate: 'Add this caller to the directory', clientName: 'Name', phoneNumber: 'Phone', clientType: 'Client type', createClient: 'Create client', saving: 'Saving…',
  cardRinging: 'Ringing — not answered yet', cardInCall: 'On the line', cardCalling: 'Calling — not answered yet', cardOffered: 'Call being offered to you', cardClient: 'Client', cardLastCall: 'Last call',
  loadingCard: 'Loading the client card…', waitingTitle: 'No call right now',
  waitingReady: 'You are Ready. When a call comes, the caller\'s card appears here before you answer.',
  waitingNotReady: 'Set yourself Ready to receive calls.',
  // transfer
  transferMode: 'Transfer mode', blind: 'Blind', warm: 'Consult first', close: 'Close',
  blindHelp: 'The caller goes to the target at once and your line ends.', warmHelp: 'You talk to the target first while the caller waits with music; then complete or cancel.',
  transferNow: 'Transfer', consult: 'Consult', quickTargets: 'Quick targets', toManager: 'Client\'s manager', toFinance: 'Finance', toQuality: 'Quality control',
  toSecondLine: 'Second line', queues: 'Queues', people: 'People', findPerson: 'Find a person', nobody: 'Nobody found.', waitingN: '{n} waiting',
  noDevice: 'No registered phone', noDeviceShort: 'no phone', consulting: 'Consulting {who}', consultStarting: 'Ringing the target; the caller hears music…',
  consultActive: 'You are talking to the target; the caller waits with music.', completeTransfer: 'Complete transfer', cancelConsult: 'Cancel, back to the caller',
  consultFailed: 'The target did not answer, declined or hung up. The caller still waits with music: cancel to go back to them.',
  transferredTo: 'Transferred to {who}', loading: 'Loading…',
  // wrap-up
  wrapUpForm: 'Wrap-up', wrapUpSaved: 'Saved to the call record.', chooseDisposition: 'Choose…', orderReference: 'Order reference (optional)',
  orderAmount: 'Order amount (optional)', amountInvalid: 'The amount must be a number.', saveAndReady: 'Save and get ready', save: 'Save',
  // work panel
  myWork: 'My work', tabWork: 'Assignments', tabHistory: 'Today', tabStats: 'My shift', noAssignments: 'No callbacks or campaign calls for you.',
  callback: 'Callback', campaign: 'Campaign', result: 'Result', saveResult: 'Save result',
  result_done: 'Done', result_no_answer: 'No answer', result_failed: 'Failed', result_skipped: 'Skipped',
  noCallsToday: 'No calls today yet.', time: 'Time', who: 'Who', noData: 'Nothing yet.', handled: 'Handled', missed: 'Missed', talkTime: 'Talk',
  avgHandle: 'Average handle', holdTime: 'Hold', wrapUpTime: 'Wrap-up', readyTime: 'Ready', notReadyTime: 'Not ready', timeSplit: 'Where the shift went',
  byDisposition: 'By disposition',
  outcome_answered: 'Answered', outcome_abandoned_ivr: 'Abandoned in IVR', outcome_abandoned_queue: 'Abandoned in queue', outcome_abandoned_ringing: 'Abandoned while ringing',
  outcome_overflowed: 'Overflowed', outcome_transferred: 'Transferred', outcome_callback_requested: 'Callback requested', outcome_after_hours: 'After hours',
  outcome_failed: 'Failed', outcome_rejected: 'Rejected', outcome_missed: 'Missed', outcome_no_answer: 'No answer',
  // dialogs
  kbAnswer: 'Answer the ringing call', kbHangUp: 'Hang up, or decline the ringing call', kbHold: 'Hold / resume', kbMute: 'Mute / unmute',
  kbReady: 'Set Ready', kbHelp: 'Show or hide this panel', kbClose: 'Close a panel',
  shortcutsNote: 'Shortcuts do not fire while you type in a field.',
  microphone: 'Microphone', speaker: 'Headset / speaker', ringer: 'Ringtone output', systemDefault: 'System default', sameAsSpeaker: 'Same as the headset',
  noSinkId: 'This browser cannot choose the audio output; the system default is used.', testRingtone: 'Test the ringtone', stopTest: 'Stop the test',
  autoAnswer: 'Answer calls automatically', desktopNotifications: 'Desktop notification when a call rings in a background tab',
  notificationsDenied: 'The browser blocks notifications for this site; allow them in the site settings.', device: 'Device',
};

export type SoftphoneKey = keyof typeof en;

const ru: Record<SoftphoneKey, string> = {
  signedInAs: 'Вы вошли как', serverConnection: 'Соединение с сервером', phoneConnection: 'Регистрация телефона',
  serverLive: 'Сервер: на связи', serverConnecting: 'Сервер: подключение…', serverReconnecting: 'Сервер: переподключение… (попытка {n})', serverClosed: 'Сервер: нет связи',
  phoneNone: 'Телефон: нет SIP-учётной записи', phoneOffline: 'Телефония недоступна', phoneStopped: 'Телефон: остановлен', phoneConnecting: 'Телефон: подключение…',
  phoneRegistering: 'Телефон: регистрация…', phoneRegistered: 'Телефон: зарегистрирован', phoneReconnecting: 'Телефон: переподключение… (попытка {n})', phoneRejected: 'Телефон: регистрация отклонена',
  settings: 'Настройки', shortcutsHelp: 'Горячие клавиши',
  role_operator: 'оператор', role_key_account_manager: 'менеджер ключевых клиентов', role_department_head: 'руководитель отдела', role_finance: 'финансы',
  role_quality: 'контроль качества', role_supervisor: 'супервизор', role_admin: 'администратор',
  noSipLogin: 'У вас нет SIP-учётной записи: звонки не могут поступать на эту страницу. Обратитесь к администратору.',
  telephonyOffline: 'Телефония недоступна: сервер работает без SIP, звонки сюда не поступят. Остальное работает.',
  phoneLost: 'Связь с телефонным сервером потеряна — переподключение (попытка {n}, следующая через {s} с).',
  callContinues: 'Текущий разговор продолжается, пока идёт звук.',
  phoneRefused: 'Телефонный сервер отклонил регистрацию ({why}). Повторяем с новыми учётными данными.',
  eventsLost: 'Обновления прерваны — переподключение (попытка {n}). Состояние будет перечитано после восстановления связи.',
  loadingConfig: 'Загрузка софтфона…', cannotStart: 'Софтфон не может запуститься', retry: 'Повторить',
  myState: 'Мой статус', stateUnknown: 'неизвестно', inStateFor: 'уже {d}', wrapUpLeft: 'осталось на обработку', endWrapUp: 'Завершить обработку',
  extendWrapUp: '+{s} с', ready: 'Готов', notReady: 'Не готов', notReadyReason: 'Причина «не готов»', logOutQueues: 'Выйти из очередей',
  state_logged_out: 'Не в системе', state_ready: 'Готов', state_reserved: 'Звонок предложен', state_on_call: 'Разговор', state_wrap_up: 'Обработка', state_not_ready: 'Не готов',
  phone: 'Телефон', noCall: 'Нет звонка', placing: 'Звоним: {who}… сначала зазвонит ваш телефон', incomingCall: 'Входящий звонок', outboundRinging: 'Ваш звонок соединяется',
  connecting: 'Соединение…', inCall: 'Разговор', onHold: 'На удержании — абонент слышит музыку', callEnded: 'Звонок завершён', unknownNumber: 'Номер не определён',
  monitorListening: 'Слушаете: {who}', monitorWhispering: 'Подсказываете: {who}', monitorBarging: 'В разговоре: {who}', monitorSomeCall: 'звонок',
  monitorNobodyHears: 'Вас не слышит и не видит ни одна из сторон.', monitorStop: 'Завершить прослушивание',
  monitorModes: 'Режим прослушивания', monitorModeListen: 'Слушать', monitorModeWhisper: 'Суфлировать', monitorModeBarge: 'Вмешаться',
  monitorMicStarting: 'Включаем ваш микрофон…', monitorMicOn: 'Ваш микрофон включён.', monitorMicAgent: 'Ваш микрофон включён: вас слышит {who}',
  monitorMicBoth: 'Ваш микрофон включён: вас слышат и звонящий, и сотрудник', monitorTheAgent: 'сотрудник',
  monitorMicFailed: 'Не удалось включить микрофон ({why}): вас никто не слышит. Разрешите микрофон для этого сайта, переключитесь на «Слушать» и обратно.',
  coaching: 'Подсказка: с вами говорит {who} — звонящий этого не слышит', coachSomeone: 'ваш супервизор',
  coachingJoined: 'К разговору подключился супервизор: {who}. Его слышите и вы, и звонящий',
  callTimer: 'Длительность звонка', answer: 'Ответить', decline: 'Отклонить', hangUp: 'Завершить', hold: 'Удержание', resume: 'Вернуть', mute: 'Выкл. микрофон', unmute: 'Вкл. микрофон',
  keypad: 'Клавиатура', transfer: 'Перевод', sendKey: 'Отправить цифру', keysSent: 'Отправлено', mediaInterrupted: 'Звук прерван — восстанавливаем…',
  mediaFailed: 'Звук потерян. Если он не вернётся, завершите звонок и попросите перезвонить.',
  dialPad: 'Набор номера', numberToCall: 'Номер', dialKey: 'Набрать', call: 'Позвонить', clearNumber: 'Очистить номер', cancelPlacing: 'Не ждать',
  noDialOut: 'Звонки на внешние номера для вас не разрешены; внутренние адреса (коллега, ivr-draft-<сценарий>) работают.', phoneNotReady: 'Телефон не зарегистрирован или занят: позвонить сейчас нельзя.',
  dialing: 'Вызов: {who}…', callingRinging: 'Вызов: {who}… идут гудки', ringTimer: 'Время вызова',
  farBusy: 'Занято — {who}', farDeclined: 'Отклонено — {who} сбросил звонок', farNoAnswer: 'Нет ответа: {who}',
  farUnavailable: '{who}: номер недоступен', farFailed: 'Не удалось дозвониться: {who}', dismissNotice: 'Скрыть',
  callRefused: 'Звонок на {who} отклонён: {why}', dialNoPhone: 'Нельзя позвонить на {who}: у вас нет SIP-логина, на этой странице нет телефона.',
  dialPlaceholder: '+7 495 … или ivr-draft-main',
  dialledTitle: 'Ваш звонок: {who}', dialledText: 'Звонок, который вы набрали сами: карточки клиента у него нет. Цифры меню — через клавиатуру в панели телефона.',
  placingTimedOut: 'Сервер не позвонил на ваш телефон в течение минуты.',
  clientCard: 'Карточка клиента', newClient: 'Новый клиент', notInDirectory: 'нет в справочнике', callClient: 'Позвонить',
  debtWarning: 'Задолженность — заказ не принимать.', overdueAmount: 'Просрочено: {amount}', overLimit: 'Сверх лимита: баланс {balance} при лимите {limit}',
  debtRule: 'Сообщите клиенту о задолженности и переведите звонок на менеджера или в финансовую службу.',
  manager: 'Менеджер', noManager: 'не назначен', region: 'Регион', language: 'Язык', balance: 'Баланс / лимит', notes: 'Заметки',
  routingReason: 'Почему звонок у вас', ivrPath: 'Путь в IVR', queue: 'Очередь', waited: 'Ожидание', lastCalls: 'Последние звонки', noLastCalls: 'Раньше не звонил.',
  when: 'Когда', outcome: 'Итог', disposition: 'Результат', agent: 'Сотрудник', talk: 'Разговор',
  quickCreate: 'Добавить звонящего в справочник', clientName: 'Название', phoneNumber: 'Телефон', clientType: 'Тип клиента', createClient: 'Создать клиента', saving: 'Сохранение…',
  cardRinging: 'Звонит — ещё не отвечен', cardInCall: 'На линии', cardCalling: 'Вызов — ещё не ответили', cardOffered: 'Вам предлагается звонок', cardClient: 'Клиент', cardLastCall: 'Последний звонок',
  loadingCard: 'Загрузка карточки клиента…', waitingTitle: 'Сейчас звонка нет',
  waitingReady: 'Вы в статусе «Готов». Когда поступит звонок, карточка клиента появится здесь до ответа.',
  waitingNotReady: 'Поставьте статус «Готов», чтобы получать звонки.',
  transferMode: 'Способ перевода', blind: 'Сразу', warm: 'С консультацией', close: 'Закрыть',
  blindHelp: 'Звонящий сразу уходит к адресату, ваша линия завершается.', warmHelp: 'Сначала вы говорите с адресатом, звонящий ждёт с музыкой; затем завершите или отмените перевод.',
  transferNow: 'Перевести', consult: 'Консультация', quickTargets: 'Быстрый перевод', toManager: 'Менеджер клиента', toFinance: 'Финансовая служба', toQuality: 'Контроль качества',
  toSecondLine: 'Вторая линия', queues: 'Очереди', people: 'Сотрудники', findPerson: 'Найти сотрудника', nobody: 'Никого не найдено.', waitingN: 'ждут: {n}',
  noDevice: 'Нет зарегистрированного телефона', noDeviceShort: 'нет телефона', consulting: 'Консультация: {who}', consultStarting: 'Вызываем адресата; звонящий слышит музыку…',
  consultActive: 'Вы говорите с адресатом; звонящий ждёт с музыкой.', completeTransfer: 'Завершить перевод', cancelConsult: 'Отменить, вернуться к звонящему',
  consultFailed: 'Адресат не ответил, отклонил звонок или положил трубку. Звонящий ждёт с музыкой: отмените, чтобы вернуться к нему.',
  transferredTo: 'Переведено: {who}', loading: 'Загрузка…',
  wrapUpForm: 'Обработка звонка', wrapUpSaved: 'Сохранено в записи звонка.', chooseDisposition: 'Выберите…', orderReference: 'Номер заказа (необязательно)',
  orderAmount: 'Сумма заказа (необязательно)', amountInvalid: 'Сумма должна быть числом.', saveAndReady: 'Сохранить и «Готов»', save: 'Сохранить',
  myWork: 'Моя работа', tabWork: 'Задания', tabHistory: 'Сегодня', tabStats: 'Моя смена', noAssignments: 'Для вас нет обратных звонков и звонков кампаний.',
  callback: 'Обратный звонок', campaign: 'Кампания', result: 'Результат', saveResult: 'Сохранить результат',
  result_done: 'Выполнено', result_no_answer: 'Не ответил', result_failed: 'Не удалось', result_skipped: 'Пропущено',
  noCallsToday: 'Сегодня звонков ещё не было.', time: 'Время', who: 'Кто', noData: 'Пока ничего.', handled: 'Обработано', missed: 'Пропущено', talkTime: 'Разговор',
  avgHandle: 'Среднее время обработки', holdTime: 'Удержание', wrapUpTime: 'Обработка', readyTime: 'Готов', notReadyTime: 'Не готов', timeSplit: 'Распределение времени смены',
  byDisposition: 'По результатам',
  outcome_answered: 'Отвечен', outcome_abandoned_ivr: 'Сброшен в IVR', outcome_abandoned_queue: 'Сброшен в очереди', outcome_abandoned_ringing: 'Сброшен при вызове',
  outcome_overflowed: 'Переполнение', outcome_transferred: 'Переведён', outcome_callback_requested: 'Заказан обратный звонок', outcome_after_hours: 'Нерабочее время',
  outcome_failed: 'Ошибка', outcome_rejected: 'Отклонён', outcome_missed: 'Пропущен', outcome_no_answer: 'Нет ответа',
  kbAnswer: 'Ответить на входящий', kbHangUp: 'Завершить или отклонить звонок', kbHold: 'Удержание / вернуть', kbMute: 'Выключить / включить микрофон',
  kbReady: 'Статус «Готов»', kbHelp: 'Показать или скрыть эту панель', kbClose: 'Закрыть панель',
  shortcutsNote: 'Клавиши не срабатывают, пока вы печатаете в поле.',
  microphone: 'Микрофон', speaker: 'Гарнитура / динамик', ringer: 'Вывод звонка', systemDefault: 'Системное по умолчанию', sameAsSpeaker: 'Как у гарнитуры',
  noSinkId: 'Этот браузер не умеет выбирать устройство вывода; используется системное.', testRingtone: 'Проверить звонок', stopTest: 'Остановить проверку',
  autoAnswer: 'Отвечать автоматически', desktopNotifications: 'Уведомление на рабочем столе, когда звонок приходит в фоновую вкладку',
  notificationsDenied: 'Браузер запрещает уведомления для этого сайта; разрешите их в настройках сайта.', device: 'Устройство',
};

export const useT = translator<SoftphoneKey>({ en, ru });

export function agentStateLabel(t: Translate<SoftphoneKey>, state: AgentState): string {
  return t(`state_${state}`);
}

const OUTCOMES = new Set(Object.keys(en).filter((k) => k.startsWith('outcome_')).map((k) => k.slice('outcome_'.length)));

export function outcomeLabel(t: Translate<SoftphoneKey>, outcome: string | null): string {
  if (!outcome) return '—';
  return OUTCOMES.has(outcome) ? t(`outcome_${outcome}` as SoftphoneKey) : outcome;
}

export function roleLabel(t: Translate<SoftphoneKey>, role: string): string {
  const key = `role_${role}`;
  return key in en ? t(key as SoftphoneKey) : role;
}
