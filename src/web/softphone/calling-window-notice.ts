import type { Locale } from '../shared/i18n';
import { fillPlaceholders } from '../shared/placeholders';
import type { OutboundCallPlaced } from '../../api/schemas/call-schemas';

/**
 * What the softphone says when a call it placed falls outside the client's
 * calling window (the server places a person's own call and says so): the
 * window and the time now in the client's zone, and when calls are allowed
 * again — in people's words and the softphone's language, where the server
 * only gives times and zones. Pure: the clock, the language and the viewer's
 * own zone are given, so the wording is tested without a browser.
 */

/** The window the call fell outside of, as the server sends it. */
export type OutsideWindowFacts = NonNullable<OutboundCallPlaced['outsideWindow']>;

const TEXT = {
  en: {
    oneZone: 'Outside the client\'s calling window: {window} their time ({zone}), now {now} there.',
    manyZones: 'Outside the calling window {window} in some of the {n} time zones of the number\'s country; set the client\'s time zone on the card to know theirs.',
    next: 'Calls allowed again {when}.',
    never: 'No hour of the window is inside it in every one of those zones.',
    today: 'today at {time}', tomorrow: 'tomorrow at {time}', later: '{day} at {time}',
    theirTime: 'their time', yourTime: 'your time',
  },
  ru: {
    oneZone: 'Вне окна звонков клиенту: {window} по его времени ({zone}), у него сейчас {now}.',
    manyZones: 'Вне окна звонков {window} в части из {n} часовых поясов страны номера; укажите часовой пояс клиента в карточке, чтобы знать его время.',
    next: 'Звонить снова можно {when}.',
    never: 'Ни один час окна не приходится на него во всех этих поясах.',
    today: 'сегодня в {time}', tomorrow: 'завтра в {time}', later: '{day} в {time}',
    theirTime: 'по его времени', yourTime: 'по вашему времени',
  },
} satisfies Record<Locale, Record<string, string>>;

type Key = keyof typeof TEXT.en;

const TAGS: Record<Locale, string> = { en: 'en-GB', ru: 'ru-RU' };

function say(locale: Locale, key: Key, values: Record<string, string | number> = {}): string {
  return fillPlaceholders(TEXT[locale][key], values);
}

/** 23:14 in `zone`. */
function clock(at: Date, zone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(TAGS[locale], { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** The calendar day of `at` in `zone`, as days since the epoch (for "today" and "tomorrow"). */
function dayNumber(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / 86_400_000;
}

/** "today at 09:00", "tomorrow at 09:00", "Tuesday 8 December at 09:00" — in `zone`, seen from `now`. */
function when(next: Date, now: Date, zone: string, locale: Locale): string {
  const time = clock(next, zone, locale);
  const days = dayNumber(next, zone) - dayNumber(now, zone);
  if (days === 0) return say(locale, 'today', { time });
  if (days === 1) return say(locale, 'tomorrow', { time });
  const day = new Intl.DateTimeFormat(TAGS[locale], { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long' }).format(next);
  return say(locale, 'later', { day, time });
}

/**
 * The notice in `locale`: with one zone (the client's) the window, the zone
 * and the time there now, and the next allowed moment in their time; with
 * several (no zone on the card: every zone of the country) the next moment in
 * the viewer's own time, as theirs is not known.
 */
export function describeOutsideWindow(facts: OutsideWindowFacts, options: { now: Date; locale: Locale; viewerTimeZone: string }): string {
  const { now, locale, viewerTimeZone } = options;
  const window = `${facts.start}–${facts.end}`;
  const only = facts.timeZones.length === 1 ? facts.timeZones[0] : undefined;
  const where = only !== undefined
    ? say(locale, 'oneZone', { window, zone: only, now: clock(now, only, locale) })
    : say(locale, 'manyZones', { window, n: facts.timeZones.length });
  if (facts.nextAllowedAt === null) return `${where} ${say(locale, 'never')}`;
  const zone = only ?? viewerTimeZone;
  const next = `${when(new Date(facts.nextAllowedAt), now, zone, locale)} ${say(locale, only !== undefined ? 'theirTime' : 'yourTime')}`;
  return `${where} ${say(locale, 'next', { when: next })}`;
}
