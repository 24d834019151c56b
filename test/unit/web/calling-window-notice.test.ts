import { describeOutsideWindow, type OutsideWindowFacts } from '../../../src/web/softphone/calling-window-notice';

/** 18:14 UTC on Sunday 6 December 2026: 23:14 in Yekaterinburg (UTC+5), 21:14 in Moscow (UTC+3). */
const now = new Date('2026-12-06T18:14:00Z');
const yekaterinburg: OutsideWindowFacts = { start: '09:00', end: '21:00', timeZones: ['Asia/Yekaterinburg'], nextAllowedAt: '2026-12-07T04:00:00.000Z' };
const moscow = { now, viewerTimeZone: 'Europe/Moscow' };

describe('the softphone\'s notice for a call placed outside the client\'s calling window', () => {
  it('names the window, the client\'s zone and the time there now, and when calls are allowed again in their time', () => {
    expect(describeOutsideWindow(yekaterinburg, { ...moscow, locale: 'en' }))
      .toBe('Outside the client\'s calling window: 09:00–21:00 their time (Asia/Yekaterinburg), now 23:14 there. Calls allowed again tomorrow at 09:00 their time.');
    expect(describeOutsideWindow(yekaterinburg, { ...moscow, locale: 'ru' }))
      .toBe('Вне окна звонков клиенту: 09:00–21:00 по его времени (Asia/Yekaterinburg), у него сейчас 23:14. Звонить снова можно завтра в 09:00 по его времени.');
  });

  it('says "today" before the window opens on the client\'s own day, whatever day it is for the viewer', () => {
    // 02:30 UTC Monday: 07:30 in Yekaterinburg, but still Sunday 21:30 for a viewer in New York.
    const early = new Date('2026-12-07T02:30:00Z');
    expect(describeOutsideWindow(yekaterinburg, { now: early, locale: 'en', viewerTimeZone: 'America/New_York' }))
      .toBe('Outside the client\'s calling window: 09:00–21:00 their time (Asia/Yekaterinburg), now 07:30 there. Calls allowed again today at 09:00 their time.');
  });

  it('names the day when the window opens later than tomorrow', () => {
    const dayAfter: OutsideWindowFacts = { ...yekaterinburg, nextAllowedAt: '2026-12-08T04:00:00.000Z' };
    expect(describeOutsideWindow(dayAfter, { ...moscow, locale: 'en' })).toMatch(/Calls allowed again Tuesday,? 8 December at 09:00 their time\.$/);
    expect(describeOutsideWindow(dayAfter, { ...moscow, locale: 'ru' })).toMatch(/Звонить снова можно вторник, 8 декабря в 09:00 по его времени\.$/);
  });

  it('without a zone on the card (every zone of the country) says how many and gives the next moment in the viewer\'s own time', () => {
    const russia: OutsideWindowFacts = { start: '09:00', end: '21:00', timeZones: ['Europe/Kaliningrad', 'Europe/Moscow', 'Asia/Kamchatka'], nextAllowedAt: '2026-12-07T07:00:00.000Z' };
    expect(describeOutsideWindow(russia, { ...moscow, locale: 'en' }))
      .toBe('Outside the calling window 09:00–21:00 in some of the 3 time zones of the number\'s country; set the client\'s time zone on the card to know theirs. Calls allowed again tomorrow at 10:00 your time.');
    expect(describeOutsideWindow(russia, { ...moscow, locale: 'ru' })).toMatch(/^Вне окна звонков 09:00–21:00 в части из 3 часовых поясов .* Звонить снова можно завтра в 10:00 по вашему времени\.$/);
  });

  it('says so when no hour of the window is common to the zones', () => {
    const none: OutsideWindowFacts = { start: '09:00', end: '10:00', timeZones: ['Europe/Kaliningrad', 'Asia/Kamchatka'], nextAllowedAt: null };
    expect(describeOutsideWindow(none, { ...moscow, locale: 'en' })).toMatch(/No hour of the window is inside it in every one of those zones\.$/);
  });
});
