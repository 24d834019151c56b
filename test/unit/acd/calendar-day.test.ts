import { calendarDayIn } from '../../../src/acd/calendar-day';
import { resolveAcdSettings } from '../../../src/acd/acd-settings';

describe('calendar day in a time zone', () => {
  const moscow = calendarDayIn('Europe/Moscow');
  const utc = calendarDayIn('UTC');
  it.each([
    [Date.UTC(2025, 0, 7, 20, 59, 59, 999), '2025-01-07', '2025-01-07'],
    [Date.UTC(2025, 0, 7, 21, 0, 0, 0), '2025-01-08', '2025-01-07'],
    [Date.UTC(2025, 0, 7, 23, 59, 59, 999), '2025-01-08', '2025-01-07'],
    [Date.UTC(2025, 0, 8, 0, 0, 0, 0), '2025-01-08', '2025-01-08'],
    [Date.UTC(2024, 11, 31, 21, 0, 0, 0), '2025-01-01', '2024-12-31'],
  ])('%i is %s in Moscow and %s in UTC', (ms, inMoscow, inUtc) => {
    expect(moscow(ms)).toBe(inMoscow);
    expect(utc(ms)).toBe(inUtc);
  });
  it('is Europe/Moscow unless configured, and refuses unknown zones', () => {
    expect(resolveAcdSettings().timeZone).toBe('Europe/Moscow');
    expect(resolveAcdSettings({ timeZone: 'Europe/Warsaw' }).timeZone).toBe('Europe/Warsaw');
    expect(() => resolveAcdSettings({ timeZone: 'Nowhere/Special' })).toThrow(RangeError);
  });
});
