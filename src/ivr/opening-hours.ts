import type { BusinessHoursSchedule, OpeningHours } from '../routing/business-hours-schedule';
import { DEFAULT_ROUTING_CONFIG } from '../routing/default-routing-config';
import type { PromptCatalogue } from './prompt-catalogue';

/**
 * The opening hours said to a caller, built from the schedule the hotline
 * keeps (the routing config's businessHours, the one source of truth) out of
 * prompt pieces — so that what the after-hours message says can never differ
 * from when the hotline opens: publish other hours and the next caller hears
 * them, with no new recording. `opening_hours` in a flow's prompts stands for
 * these pieces; its catalogue entry (the shipped schedule's sentence) is what
 * plays when a catalogue lacks the pieces.
 */
export const OPENING_HOURS_PROMPT = 'opening_hours';

/** Weekdays as said, Monday first (0 = Sunday, as in the schedule). */
const WEEK = [1, 2, 3, 4, 5, 6, 0] as const;

const DAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Russian needs a case per role: "с понедельника по пятницу", "в субботу". */
const DAY_FROM_RU = ['с воскресенья', 'с понедельника', 'со вторника', 'со среды', 'с четверга', 'с пятницы', 'с субботы'];
const DAY_TO_RU = ['по воскресенье', 'по понедельник', 'по вторник', 'по среду', 'по четверг', 'по пятницу', 'по субботу'];
const DAY_ON_RU = ['в воскресенье', 'в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу'];

const UNITS_EN = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen',
  'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
/** Russian says times in the genitive after "с" and "до": "с восьми до двадцати". */
const UNITS_RU_GENITIVE = ['ноля', 'одного', 'двух', 'трёх', 'четырёх', 'пяти', 'шести', 'семи', 'восьми', 'девяти', 'десяти', 'одиннадцати',
  'двенадцати', 'тринадцати', 'четырнадцати', 'пятнадцати', 'шестнадцати', 'семнадцати', 'восемнадцати', 'девятнадцати'];
const TENS: ReadonlyArray<readonly [number, string, string]> = [[20, 'twenty', 'двадцати'], [30, 'thirty', 'тридцати'], [40, 'forty', 'сорока'], [50, 'fifty', 'пятидесяти']];

/** Prompt id → text per language, for every piece the opening hours are said with. */
export const OPENING_HOURS_PIECE_TEXTS: Readonly<Record<string, { en: string; ru: string }>> = {
  hours_intro: { en: 'Our working hours are', ru: 'Часы работы:' },
  hours_every_day: { en: 'every day', ru: 'ежедневно' },
  hours_all_day: { en: 'around the clock', ru: 'круглосуточно' },
  hours_none: { en: 'Our working hours will be announced later.', ru: 'Часы работы будут объявлены позже.' },
  hours_from: { en: 'from', ru: 'с' },
  hours_until: { en: 'to', ru: 'до' },
  hours_and: { en: 'and', ru: 'и' },
  // Russian callers hear the 24-hour clock; its entries exist so that every piece has both languages.
  hours_am: { en: 'a.m.', ru: 'утра' },
  hours_pm: { en: 'p.m.', ru: 'вечера' },
  ...Object.fromEntries(DAY_EN.flatMap((en, d) => [
    [`hours_day_from_${d}`, { en, ru: DAY_FROM_RU[d] as string }],
    [`hours_day_to_${d}`, { en: `to ${en}`, ru: DAY_TO_RU[d] as string }],
    [`hours_day_on_${d}`, { en: `on ${en}`, ru: DAY_ON_RU[d] as string }],
  ])),
  ...Object.fromEntries(UNITS_EN.map((en, n) => [`hours_num_${n}`, { en, ru: UNITS_RU_GENITIVE[n] as string }])),
  ...Object.fromEntries(TENS.map(([n, en, ru]) => [`hours_num_${n}`, { en, ru }])),
};

function numberPieces(n: number): string[] {
  if (n < 20) return [`hours_num_${n}`];
  const tens = Math.floor(n / 10) * 10;
  return n % 10 === 0 ? [`hours_num_${tens}`] : [`hours_num_${tens}`, `hours_num_${n % 10}`];
}

/** "08:30" said: Russian on the 24-hour clock, English on the 12-hour clock with a.m./p.m. */
function timePieces(hhmm: string, language: string): string[] {
  const hours = Number(hhmm.slice(0, 2));
  const minutes = Number(hhmm.slice(3, 5));
  const minutePieces = minutes === 0 ? [] : minutes < 10 ? ['hours_num_0', ...numberPieces(minutes)] : numberPieces(minutes);
  if (language === 'ru') return [...numberPieces(hours), ...minutePieces];
  const twelve = hours % 12 === 0 ? 12 : hours % 12;
  return [...numberPieces(twelve), ...minutePieces, hours < 12 || hours === 24 ? 'hours_am' : 'hours_pm'];
}

function intervalsKey(hours: readonly OpeningHours[]): string {
  return hours.map((h) => `${h.opens}-${h.closes}`).sort().join(',');
}

/** Runs of consecutive weekdays (Monday first) that keep the same intervals; closed days are left out. */
function dayGroups(schedule: BusinessHoursSchedule): Array<{ days: number[]; intervals: OpeningHours[] }> {
  const groups: Array<{ days: number[]; intervals: OpeningHours[]; key: string }> = [];
  for (const day of WEEK) {
    const intervals = schedule.hours.filter((h) => h.weekday === day).sort((a, b) => a.opens.localeCompare(b.opens));
    const key = intervalsKey(intervals);
    const last = groups[groups.length - 1];
    if (intervals.length === 0) continue;
    if (last && last.key === key && WEEK.indexOf(last.days[last.days.length - 1] as (typeof WEEK)[number]) === WEEK.indexOf(day) - 1) last.days.push(day);
    else groups.push({ days: [day], intervals, key });
  }
  return groups;
}

/** The prompt ids that say the schedule's opening hours in `language` (en or ru), in order. */
export function openingHoursPromptIds(schedule: BusinessHoursSchedule, language: string): string[] {
  const groups = dayGroups(schedule);
  if (groups.length === 0) return ['hours_none'];
  const out: string[] = ['hours_intro'];
  groups.forEach((group, i) => {
    if (i > 0) out.push('hours_and');
    const first = group.days[0] as number;
    const last = group.days[group.days.length - 1] as number;
    if (group.days.length === 7) out.push('hours_every_day');
    else if (group.days.length === 1) out.push(`hours_day_on_${first}`);
    else out.push(`hours_day_from_${first}`, `hours_day_to_${last}`);
    group.intervals.forEach((interval, j) => {
      if (j > 0) out.push('hours_and');
      if (interval.opens === '00:00' && interval.closes === '24:00') out.push('hours_all_day');
      else out.push('hours_from', ...timePieces(interval.opens, language), 'hours_until', ...timePieces(interval.closes, language));
    });
  });
  return out;
}

/** What the pieces say, as one sentence (the catalogue entry's text, logs, tests). */
export function openingHoursText(schedule: BusinessHoursSchedule, language: string): string {
  const words = openingHoursPromptIds(schedule, language).map((id) => {
    const text = OPENING_HOURS_PIECE_TEXTS[id];
    return text ? (language === 'ru' ? text.ru : text.en) : id;
  });
  const sentence = words.join(' ');
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

/**
 * A prompt list with `opening_hours` replaced by the pieces that say the
 * schedule — when the catalogue has every piece in the language; otherwise
 * left as it is, and the entry's own recording plays.
 */
export function withOpeningHours(promptIds: readonly string[], schedule: BusinessHoursSchedule, language: string, has: (id: string) => boolean): string[] {
  if (!promptIds.includes(OPENING_HOURS_PROMPT)) return [...promptIds];
  const pieces = openingHoursPromptIds(schedule, language);
  if (!pieces.every(has)) return [...promptIds];
  return promptIds.flatMap((id) => (id === OPENING_HOURS_PROMPT ? pieces : [id]));
}

/**
 * The pieces as catalogue entries, plus `opening_hours` itself: the shipped schedule's
 * sentence, played whole only where a catalogue lacks the pieces.
 */
export const OPENING_HOURS_CATALOGUE: PromptCatalogue = [
  ...Object.entries(OPENING_HOURS_PIECE_TEXTS).flatMap(([id, text]) => [{ id, language: 'en', text: text.en }, { id, language: 'ru', text: text.ru }]),
  { id: OPENING_HOURS_PROMPT, language: 'en', text: openingHoursText(DEFAULT_ROUTING_CONFIG.businessHours, 'en') },
  { id: OPENING_HOURS_PROMPT, language: 'ru', text: openingHoursText(DEFAULT_ROUTING_CONFIG.businessHours, 'ru') },
];
