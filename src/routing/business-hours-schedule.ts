import { Type, type Static } from '@sinclair/typebox';

const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'HH:MM local time; 24:00 closes at midnight' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD local date' });

/** One opening interval on a weekday (0 = Sunday, as in schedule_hours.weekday). */
export const OpeningHoursSchema = Type.Object(
  { weekday: Type.Integer({ minimum: 0, maximum: 6 }), opens: Time, closes: Time },
  { additionalProperties: false },
);

export const HolidaySchema = Type.Object(
  { date: Day, name: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/**
 * When the hotline is staffed, in the zone of the call center — not of the
 * server, which may run in UTC. Mirrors the schedules/schedule_hours/
 * schedule_holidays tables. A weekday with no interval is closed all day.
 */
export const BusinessHoursScheduleSchema = Type.Object(
  {
    timezone: Type.String({ minLength: 1, description: 'IANA zone, e.g. Europe/Moscow' }),
    hours: Type.Array(OpeningHoursSchema),
    holidays: Type.Array(HolidaySchema),
  },
  { additionalProperties: false },
);

export type OpeningHours = Static<typeof OpeningHoursSchema>;
export type Holiday = Static<typeof HolidaySchema>;
export type BusinessHoursSchedule = Static<typeof BusinessHoursScheduleSchema>;

/** Open around the clock, every day: the design's 24/7/365 centers. */
export const ALWAYS_OPEN: BusinessHoursSchedule = {
  timezone: 'UTC',
  hours: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' })),
  holidays: [],
};
