/**
 * Texts of the prompt pieces a waiting caller hears (queue-wait-run.ts): the
 * announcements are put together from these plus the number pieces
 * (spoken-number.ts), so that one recording per piece covers every position
 * and wait. Part of the shipped catalogue (default-prompts.ts).
 */

const UNITS: ReadonlyArray<readonly [string, string]> = [
  ['zero', 'ноль'], ['one', 'один'], ['two', 'два'], ['three', 'три'], ['four', 'четыре'], ['five', 'пять'], ['six', 'шесть'],
  ['seven', 'семь'], ['eight', 'восемь'], ['nine', 'девять'], ['ten', 'десять'], ['eleven', 'одиннадцать'], ['twelve', 'двенадцать'],
  ['thirteen', 'тринадцать'], ['fourteen', 'четырнадцать'], ['fifteen', 'пятнадцать'], ['sixteen', 'шестнадцать'],
  ['seventeen', 'семнадцать'], ['eighteen', 'восемнадцать'], ['nineteen', 'девятнадцать'],
];
const TENS: ReadonlyArray<readonly [number, string, string]> = [
  [20, 'twenty', 'двадцать'], [30, 'thirty', 'тридцать'], [40, 'forty', 'сорок'], [50, 'fifty', 'пятьдесят'],
  [60, 'sixty', 'шестьдесят'], [70, 'seventy', 'семьдесят'], [80, 'eighty', 'восемьдесят'], [90, 'ninety', 'девяносто'],
];

const NUMBER_TEXTS: Record<string, { en: string; ru: string }> = Object.fromEntries([
  ...UNITS.map(([en, ru], n) => [`num_${n}`, { en, ru }] as const),
  ...TENS.map(([n, en, ru]) => [`num_${n}`, { en, ru }] as const),
  ['num_1_f', { en: 'one', ru: 'одна' }],
  ['num_2_f', { en: 'two', ru: 'две' }],
]);

/** Prompt id → text per language, for every piece of the queue announcements and the in-queue options. */
export const QUEUE_WAIT_TEXTS: Readonly<Record<string, { en: string; ru: string }>> = {
  ...NUMBER_TEXTS,
  queue_position: { en: 'You are number', ru: 'Ваш номер в очереди' },
  queue_position_many: { en: 'Many callers are waiting ahead of you.', ru: 'Перед вами в очереди много абонентов.' },
  queue_wait_about: { en: 'Your estimated waiting time is about', ru: 'Примерное время ожидания' },
  queue_minutes_one: { en: 'minute', ru: 'минута' },
  queue_minutes_few: { en: 'minutes', ru: 'минуты' },
  queue_minutes_many: { en: 'minutes', ru: 'минут' },
  queue_wait_under_minute: { en: 'Your estimated waiting time is under a minute.', ru: 'Примерное время ожидания меньше минуты.' },
  queue_wait_over_hour: { en: 'Your estimated waiting time is over an hour.', ru: 'Примерное время ожидания больше часа.' },
  queue_wait_unknown: { en: 'We cannot estimate your waiting time right now.', ru: 'Сейчас мы не можем оценить время ожидания.' },
  queue_press_for_callback: { en: 'To keep your place and be called back, press', ru: 'Чтобы сохранить очередь и дождаться нашего звонка, нажмите' },
  queue_press_for_message: { en: 'To leave a message, press', ru: 'Чтобы оставить сообщение, нажмите' },
  callback_number_is: { en: 'We will call you back at', ru: 'Мы перезвоним вам по номеру' },
  callback_confirm_or_enter: {
    en: 'To confirm, press 1. For another number, enter it now and press the hash key. To go back, press star.',
    ru: 'Для подтверждения нажмите 1. Чтобы указать другой номер, наберите его и нажмите решётку. Для возврата нажмите звёздочку.',
  },
  callback_enter_number: {
    en: 'Please enter the number we should call you back at, then press the hash key. To go back, press star.',
    ru: 'Наберите номер, по которому нам вам перезвонить, и нажмите решётку. Для возврата нажмите звёздочку.',
  },
  callback_kept_place: {
    en: 'Thank you. You keep your place in the queue, and we will call you back when it is your turn.',
    ru: 'Спасибо. Ваше место в очереди сохранено, мы перезвоним вам, когда подойдёт ваша очередь.',
  },
  callback_failed: {
    en: 'Sorry, we could not take your callback request. Please stay on the line.',
    ru: 'Извините, не удалось принять заявку на обратный звонок. Пожалуйста, оставайтесь на линии.',
  },
};
