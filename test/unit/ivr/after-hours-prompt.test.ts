import { DEFAULT_PROMPTS } from '../../../src/ivr/default-prompts';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';

/** "08:00" → "8 a.m.", "20:00" → "8 p.m.", as the English prompt says hours. */
const english = (hhmm: string): string => {
  const hour = Number(hhmm.slice(0, 2));
  return hour === 12 ? '12 p.m.' : hour > 12 ? `${hour - 12} p.m.` : `${hour} a.m.`;
};
/** "08:00" → "8", as the Russian prompt says hours. */
const russian = (hhmm: string): string => String(Number(hhmm.slice(0, 2)));

/**
 * A caller who rings after hours is told when to call back: what the shipped
 * prompt says must be the schedule the demo hotline keeps (its seed routing
 * config, which the demo schedule copies).
 */
describe('the after-hours prompt names the hours the hotline keeps', () => {
  const hours = DEFAULT_ROUTING_CONFIG.businessHours.hours;
  const weekdays = hours.filter((h) => h.weekday >= 1 && h.weekday <= 5);
  const saturday = hours.find((h) => h.weekday === 6);
  const text = (language: 'en' | 'ru'): string => DEFAULT_PROMPTS.find((p) => p.id === 'after_hours' && p.language === language)!.text;

  it('Monday to Friday the same hours, Saturday its own, Sunday closed', () => {
    expect(weekdays.map((h) => h.weekday)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(weekdays.map((h) => `${h.opens}-${h.closes}`)).size).toBe(1);
    expect(saturday).toBeDefined();
    expect(hours.some((h) => h.weekday === 0 || h.weekday === 7)).toBe(false);
  });

  it('in English and in Russian', () => {
    const week = weekdays[0]!;
    expect(text('en')).toContain(`Monday to Friday from ${english(week.opens)} to ${english(week.closes)}, and Saturday from ${english(saturday!.opens)} to ${english(saturday!.closes)}`);
    expect(text('ru')).toContain(`с понедельника по пятницу с ${russian(week.opens)} до ${russian(week.closes)}, в субботу с ${russian(saturday!.opens)} до ${russian(saturday!.closes)}`);
  });
});
