import { DEFAULT_FLOW } from '../../../src/ivr/default-flow';
import { DEFAULT_PROMPTS } from '../../../src/ivr/default-prompts';
import { openingHoursPromptIds, openingHoursText, OPENING_HOURS_PIECE_TEXTS } from '../../../src/ivr/opening-hours';
import type { BusinessHoursSchedule } from '../../../src/routing/business-hours-schedule';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import { validateFlow } from '../../../src/ivr/flow-validator';
import { CLOSED_AT, FakeSession } from './ivr-harness';

/** What a caller ringing after hours is told, in words: every prompt the run plays until the callback offer. */
function saidAfterHours(schedule: BusinessHoursSchedule, language: 'en' | 'ru', at = CLOSED_AT): string {
  const session = new FakeSession(DEFAULT_FLOW, { businessHours: schedule, language }, { at });
  const texts: string[] = [];
  let commands = session.answer();
  for (let i = 0; i < 60; i++) {
    const play = commands.find((c) => c.type === 'play');
    if (play?.type !== 'play' || play.promptId === 'callback_offer') break;
    if (play.promptId !== 'greeting' && !play.promptId.startsWith('greeting_')) texts.push(play.text);
    commands = session.finishPrompt();
  }
  return texts.join(' ');
}

const weekdays = (opens: string, closes: string, days = [1, 2, 3, 4, 5]) => days.map((weekday) => ({ weekday, opens, closes }));

describe('the after-hours message says the hours of the schedule the hotline keeps', () => {
  const shipped = DEFAULT_ROUTING_CONFIG.businessHours;

  it('the shipped schedule, in English and in Russian, after "we are closed"', () => {
    expect(saidAfterHours(shipped, 'en')).toBe('We are closed now. Our working hours are Monday to Friday from eight a.m. to eight p.m. and on Saturday from nine a.m. to five p.m.');
    expect(saidAfterHours(shipped, 'ru')).toBe('Сейчас мы не работаем. Часы работы: с понедельника по пятницу с восьми до двадцати и в субботу с девяти до семнадцати');
  });

  it('publishing other hours changes what the next caller hears, with no new recording', () => {
    const shorter: BusinessHoursSchedule = { ...shipped, hours: weekdays('09:00', '18:00') };
    // 22:30 on a Wednesday in Moscow: closed under both schedules.
    expect(saidAfterHours(shorter, 'en')).toBe('We are closed now. Our working hours are Monday to Friday from nine a.m. to six p.m.');
    expect(saidAfterHours(shorter, 'ru')).toBe('Сейчас мы не работаем. Часы работы: с понедельника по пятницу с девяти до восемнадцати');
    const lunchBreak: BusinessHoursSchedule = { ...shipped, hours: [...weekdays('08:30', '12:00', [2, 3]), ...weekdays('13:00', '17:45', [2, 3])] };
    expect(saidAfterHours(lunchBreak, 'ru')).toBe('Сейчас мы не работаем. Часы работы: со вторника по среду с восьми тридцати до двенадцати и с тринадцати до семнадцати сорока пяти');
  });

  it('days are grouped only when they are next to each other and keep the same hours', () => {
    const odd: BusinessHoursSchedule = { ...shipped, hours: [...weekdays('08:00', '20:00', [1, 2, 4]), { weekday: 0, opens: '10:00', closes: '14:00' }] };
    expect(openingHoursText(odd, 'en')).toBe('Our working hours are Monday to Tuesday from eight a.m. to eight p.m. and on Thursday from eight a.m. to eight p.m. and on Sunday from ten a.m. to two p.m.');
    const always: BusinessHoursSchedule = { ...shipped, hours: weekdays('00:00', '24:00', [0, 1, 2, 3, 4, 5, 6]) };
    expect(openingHoursText(always, 'ru')).toBe('Часы работы: ежедневно круглосуточно.');
    expect(openingHoursPromptIds({ ...shipped, hours: [] }, 'en')).toEqual(['hours_none']);
  });

  it('every piece the hours can need is in the shipped catalogue in both languages, and the flow validates', () => {
    for (const id of Object.keys(OPENING_HOURS_PIECE_TEXTS)) {
      for (const language of ['en', 'ru'] as const) expect([id, language, DEFAULT_PROMPTS.some((p) => p.id === id && p.language === language)]).toEqual([id, language, true]);
    }
    expect(validateFlow(DEFAULT_FLOW, DEFAULT_PROMPTS).ok).toBe(true);
  });
});
