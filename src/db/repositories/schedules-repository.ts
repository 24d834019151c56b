import type { ScheduleRecord } from '../../directory/directory-records';
import { AppError } from '../../errors/app-error';
import type { Queryable } from '../pool';
import { ResourceRepository, type Row } from '../resource-repository';

function assertTimezone(timezone: unknown): void {
  if (typeof timezone !== 'string') return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new AppError('VALIDATION_FAILED', `unknown time zone "${timezone}"`, [{ path: '/timezone', message: `unknown time zone "${timezone}" (use an IANA name such as Europe/Moscow)` }]);
  }
}

function assertHours(hours: unknown): void {
  if (!Array.isArray(hours)) return;
  (hours as Array<{ opens: string; closes: string }>).forEach((h, i) => {
    if (h.closes <= h.opens) {
      throw new AppError('VALIDATION_FAILED', 'opening hours close before they open', [{ path: `/hours/${i}`, message: `closes (${h.closes}) must be after opens (${h.opens})` }]);
    }
  });
}

async function loadChildren(q: Queryable, records: ScheduleRecord[]): Promise<void> {
  const ids = records.map((r) => r.id);
  const hours = await q.query<{ schedule_id: number; weekday: number; opens: string; closes: string }>(
    'SELECT schedule_id, weekday, opens, closes FROM schedule_hours WHERE schedule_id = ANY($1) ORDER BY weekday, opens',
    [ids],
  );
  const holidays = await q.query<{ schedule_id: number; day: string; name: string }>(
    'SELECT schedule_id, day, name FROM schedule_holidays WHERE schedule_id = ANY($1) ORDER BY day',
    [ids],
  );
  for (const record of records) {
    record.hours = hours.rows
      .filter((h) => h.schedule_id === record.id)
      .map((h) => ({ weekday: h.weekday, opens: h.opens.slice(0, 5), closes: h.closes.slice(0, 5) }));
    record.holidays = holidays.rows.filter((h) => h.schedule_id === record.id).map((h) => ({ day: h.day, name: h.name }));
  }
}

async function writeChildren(q: Queryable, scheduleId: number, input: Row): Promise<void> {
  const hours = input.hours as ScheduleRecord['hours'] | undefined;
  const holidays = input.holidays as ScheduleRecord['holidays'] | undefined;
  if (hours !== undefined) {
    await q.query('DELETE FROM schedule_hours WHERE schedule_id = $1', [scheduleId]);
    for (const h of hours) {
      await q.query('INSERT INTO schedule_hours (schedule_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)', [scheduleId, h.weekday, h.opens, h.closes]);
    }
  }
  if (holidays !== undefined) {
    await q.query('DELETE FROM schedule_holidays WHERE schedule_id = $1', [scheduleId]);
    for (const h of holidays) {
      await q.query('INSERT INTO schedule_holidays (schedule_id, day, name) VALUES ($1, $2, $3)', [scheduleId, h.day, h.name]);
    }
  }
}

/** Business hours: a named weekly schedule in a time zone, with holidays. */
export const schedulesRepository = new ResourceRepository<ScheduleRecord>({
  entity: 'business hours schedule',
  table: 'schedules',
  orderBy: 'name',
  fields: {
    id: { column: 'id', readOnly: true },
    name: { column: 'name' },
    timezone: { column: 'timezone' },
    createdAt: { column: 'created_at', readOnly: true },
    updatedAt: { column: 'updated_at', readOnly: true },
  },
  prepare: (input) => {
    assertTimezone(input.timezone);
    assertHours(input.hours);
    return input;
  },
  loadExtras: loadChildren,
  writeExtras: writeChildren,
});
