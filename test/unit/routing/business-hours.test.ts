import { describeClosure, isOpenAt, localTimeIn } from '../../../src/routing/business-hours';
import type { BusinessHoursSchedule } from '../../../src/routing/business-hours-schedule';

const weekdays: BusinessHoursSchedule = {
  timezone: 'Europe/Warsaw',
  hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '18:00' })),
  holidays: [{ date: '2026-11-11', name: 'Independence Day' }],
};

describe('business hours', () => {
  it.each([
    // Warsaw is UTC+1 in winter, UTC+2 in summer: the same UTC hour is open in one and closed in the other.
    ['2026-01-14T06:59:00Z', false, 'Wed 07:59 CET, before opening'],
    ['2026-01-14T07:00:00Z', true, 'Wed 08:00 CET, opening minute'],
    ['2026-01-14T16:59:00Z', true, 'Wed 17:59 CET'],
    ['2026-01-14T17:00:00Z', false, 'Wed 18:00 CET, closing is exclusive'],
    ['2026-07-15T06:30:00Z', true, 'Wed 08:30 CEST (summer time)'],
    ['2026-07-15T16:30:00Z', false, 'Wed 18:30 CEST'],
    ['2026-01-17T10:00:00Z', false, 'Saturday'],
    ['2026-11-11T10:00:00Z', false, 'a Wednesday that is a holiday'],
    ['2026-03-29T06:00:00Z', false, 'Sunday of the DST change'],
    ['2026-03-30T06:00:00Z', true, 'Monday 08:00 CEST right after the DST change'],
  ])('%s → open %s (%s)', (iso, open) => {
    expect(isOpenAt(weekdays, new Date(iso))).toBe(open);
  });

  it('reads local date and weekday in the zone, not the server’s', () => {
    // 23:30 UTC on Tuesday is already Wednesday in Moscow.
    expect(localTimeIn('Europe/Moscow', new Date('2026-03-10T23:30:00Z'))).toEqual({ date: '2026-03-11', weekday: 3, minutes: 150 });
  });

  it('names the holiday or the hours when closed', () => {
    expect(describeClosure(weekdays, new Date('2026-11-11T10:00:00Z'))).toBe('holiday Independence Day');
    expect(describeClosure(weekdays, new Date('2026-01-17T10:00:00Z'))).toBe('outside business hours');
    expect(describeClosure(weekdays, new Date('2026-01-14T10:00:00Z'))).toBeNull();
  });

  it('supports 24:00 as end of day', () => {
    const allDay: BusinessHoursSchedule = { timezone: 'UTC', hours: [{ weekday: 3, opens: '00:00', closes: '24:00' }], holidays: [] };
    expect(isOpenAt(allDay, new Date('2026-01-14T23:59:00Z'))).toBe(true);
    expect(isOpenAt(allDay, new Date('2026-01-15T00:00:00Z'))).toBe(false);
  });
});
