/**
 * The calendar day of an instant in a time zone, as YYYY-MM-DD: the key of
 * "today" statistics and of agents' calls-today counts. A call center's day
 * ends at its own midnight, not at UTC midnight (Moscow is UTC+3: a UTC day
 * would put the last three hours of every evening into the next day's report).
 */
export type DayOf = (ms: number) => string;

/** Checks an IANA time zone name (e.g. 'Europe/Moscow'); throws RangeError for an unknown one. */
export function assertTimeZone(timeZone: string): void {
  // Intl is the authority on which zones this runtime knows; it throws RangeError otherwise.
  new Intl.DateTimeFormat('en-US', { timeZone });
}

/** A `dayOf` for the IANA zone `timeZone`; throws RangeError for an unknown zone. */
export function calendarDayIn(timeZone: string): DayOf {
  // One formatter per zone: building one costs far more than formatting with it.
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(ms)) parts[part.type] = part.value;
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
}
