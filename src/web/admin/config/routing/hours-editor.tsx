import { translator } from '../../../shared/i18n';
import type { BusinessHoursSchedule } from '../../../../routing/business-hours-schedule';
import { TextField } from '../shared/form-controls';
import type { Issue } from '../shared/versioned-config-api';

const useT = translator({
  en: {
    title: 'Business hours', timezone: 'Time zone (IANA, e.g. Europe/Moscow)', hours: 'Opening hours', weekday: 'Day', opens: 'Opens', closes: 'Closes', add: 'Add interval',
    remove: 'Remove interval {n}', holidays: 'Holidays (closed all day)', date: 'Date', name: 'Name', addHoliday: 'Add holiday', removeHoliday: 'Remove holiday {date}',
    closedDays: 'A day without an interval is closed all day.',
    d0: 'Sunday', d1: 'Monday', d2: 'Tuesday', d3: 'Wednesday', d4: 'Thursday', d5: 'Friday', d6: 'Saturday',
  },
  ru: {
    title: 'Рабочее время', timezone: 'Часовой пояс (IANA, напр. Europe/Moscow)', hours: 'Часы работы', weekday: 'День', opens: 'С', closes: 'До', add: 'Добавить интервал',
    remove: 'Убрать интервал {n}', holidays: 'Праздники (выходной весь день)', date: 'Дата', name: 'Название', addHoliday: 'Добавить праздник', removeHoliday: 'Убрать праздник {date}',
    closedDays: 'День без интервалов — выходной.',
    d0: 'воскресенье', d1: 'понедельник', d2: 'вторник', d3: 'среда', d4: 'четверг', d5: 'пятница', d6: 'суббота',
  },
});

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const;

/** The hotline's week and holidays, as the routing config carries them (versioned with it). */
export function HoursEditor(props: { value: BusinessHoursSchedule; issues: readonly Issue[]; onChange: (value: BusinessHoursSchedule) => void }): preact.JSX.Element {
  const t = useT();
  const { value } = props;
  const issueAt = (prefix: string): string | undefined => {
    const found = props.issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`) || i.path.startsWith(`${prefix}[`)).map((i) => i.message);
    return found.length > 0 ? found.join('; ') : undefined;
  };
  const hours = value.hours;
  return (
    <section class="card stack" aria-label={t('title')}>
      <h2>{t('title')}</h2>
      <TextField label={t('timezone')} value={value.timezone} error={issueAt('businessHours.timezone')} onInput={(timezone) => props.onChange({ ...value, timezone })} />
      <fieldset>
        <legend>{t('hours')}</legend>
        <p class="muted">{t('closedDays')}</p>
        <table class="compact hours-table">
          <thead><tr><th>{t('weekday')}</th><th>{t('opens')}</th><th>{t('closes')}</th><th /></tr></thead>
          <tbody>
            {hours.map((h, index) => {
              const error = issueAt(`businessHours.hours[${index}]`);
              const set = (patch: Partial<typeof h>): void => props.onChange({ ...value, hours: hours.map((x, i) => (i === index ? { ...x, ...patch } : x)) });
              return (
                <tr key={index}>
                  <td>
                    <select aria-label={`${t('weekday')} ${index + 1}`} value={h.weekday} onChange={(e) => set({ weekday: Number(e.currentTarget.value) })}>
                      {WEEKDAYS.map((d) => <option key={d} value={d}>{t(`d${d}`)}</option>)}
                    </select>
                  </td>
                  <td><input type="time" aria-label={`${t('opens')} ${index + 1}`} value={h.opens} onInput={(e) => set({ opens: e.currentTarget.value })} /></td>
                  <td>
                    <input type="text" aria-label={`${t('closes')} ${index + 1}`} pattern="[0-2][0-9]:[0-5][0-9]" size={5} value={h.closes} aria-invalid={error ? 'true' : undefined}
                      onInput={(e) => set({ closes: e.currentTarget.value })} />
                    {error && <small class="field-error" role="alert">{error}</small>}
                  </td>
                  <td><button type="button" class="link" aria-label={t('remove', { n: index + 1 })} onClick={() => props.onChange({ ...value, hours: hours.filter((_, i) => i !== index) })}>✕</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="button" onClick={() => props.onChange({ ...value, hours: [...hours, { weekday: 1, opens: '09:00', closes: '18:00' }] })}>{t('add')}</button>
      </fieldset>
      <fieldset>
        <legend>{t('holidays')}</legend>
        <table class="compact">
          <thead><tr><th>{t('date')}</th><th>{t('name')}</th><th /></tr></thead>
          <tbody>
            {value.holidays.map((h, index) => {
              const set = (patch: Partial<typeof h>): void => props.onChange({ ...value, holidays: value.holidays.map((x, i) => (i === index ? { ...x, ...patch } : x)) });
              const error = issueAt(`businessHours.holidays[${index}]`);
              return (
                <tr key={index}>
                  <td><input type="date" aria-label={`${t('date')} ${index + 1}`} value={h.date} onInput={(e) => set({ date: e.currentTarget.value })} />{error && <small class="field-error" role="alert">{error}</small>}</td>
                  <td><input aria-label={`${t('name')} ${index + 1}`} value={h.name ?? ''} onInput={(e) => set({ name: e.currentTarget.value })} /></td>
                  <td><button type="button" class="link" aria-label={t('removeHoliday', { date: h.date })} onClick={() => props.onChange({ ...value, holidays: value.holidays.filter((_, i) => i !== index) })}>✕</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="button" onClick={() => props.onChange({ ...value, holidays: [...value.holidays, { date: new Date().toISOString().slice(0, 10), name: '' }] })}>{t('addHoliday')}</button>
      </fieldset>
    </section>
  );
}
