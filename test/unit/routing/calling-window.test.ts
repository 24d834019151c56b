import { checkCallingWindow, clientTimeZones, mayCallNow, type CallingWindow, type DoNotCallEntry } from '../../../src/routing/calling-window';

const window: CallingWindow = { start: '09:00', end: '21:00', siteTimeZone: 'Europe/Moscow' };
const noDnc = new Map<string, DoNotCallEntry>();
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);
const moscowClient = { timeZone: 'Europe/Moscow' };

describe('may a client be called now (do-not-call list, calling window in their time zone)', () => {
  it('allows a Moscow client at 12:00 Moscow time and refuses at 08:00 with the next 09:00', () => {
    expect(mayCallNow(moscowClient, '+74951234567', utc(2026, 12, 7, 9), window, noDnc)).toEqual({ allowed: true, timeZones: ['Europe/Moscow'] });
    const early = mayCallNow(moscowClient, '+74951234567', utc(2026, 12, 7, 5), window, noDnc);
    expect(early).toMatchObject({ allowed: false, refused: 'outside_calling_window', nextAllowedAt: utc(2026, 12, 7, 6) });
  });

  it('the end of the window is excluded: 21:00 local is the next morning', () => {
    expect(mayCallNow(moscowClient, '+74951234567', utc(2026, 12, 7, 17, 59), window, noDnc).allowed).toBe(true);
    expect(mayCallNow(moscowClient, '+74951234567', utc(2026, 12, 7, 18), window, noDnc)).toMatchObject({ allowed: false, nextAllowedAt: utc(2026, 12, 8, 6) });
  });

  it('the same instant is allowed for one client and refused for another in a far time zone', () => {
    const now = utc(2026, 12, 7, 6, 30); // 09:30 in Moscow, 16:30 in Vladivostok, 01:30 in New York
    expect(mayCallNow(moscowClient, '+74951234567', now, window, noDnc).allowed).toBe(true);
    expect(mayCallNow({ timeZone: 'Asia/Vladivostok' }, '+74232123456', now, window, noDnc).allowed).toBe(true);
    expect(mayCallNow({ timeZone: 'America/New_York' }, '+12125550123', now, window, noDnc)).toMatchObject({ allowed: false, nextAllowedAt: utc(2026, 12, 7, 14) });
  });

  it('follows daylight saving: New York opens at 09:00 EDT (13:00 UTC) on the day clocks go forward', () => {
    const ny = { timeZone: 'America/New_York' };
    expect(mayCallNow(ny, '+12125550123', utc(2026, 3, 8, 6), window, noDnc)).toMatchObject({ nextAllowedAt: utc(2026, 3, 8, 13) });
    // The day before, still winter time: 09:00 EST is 14:00 UTC.
    expect(mayCallNow(ny, '+12125550123', utc(2026, 3, 7, 6), window, noDnc)).toMatchObject({ nextAllowedAt: utc(2026, 3, 7, 14) });
  });

  it('follows daylight saving: Berlin opens at 09:00 CET (08:00 UTC) on the day clocks go back', () => {
    const german = { timeZone: null };
    expect(clientTimeZones(german, '+4930123456', 'Europe/Moscow')).toContain('Europe/Berlin');
    expect(mayCallNow(german, '+4930123456', utc(2026, 10, 25, 5), window, noDnc)).toMatchObject({ nextAllowedAt: utc(2026, 10, 25, 8) });
    expect(mayCallNow(german, '+4930123456', utc(2026, 10, 24, 5), window, noDnc)).toMatchObject({ nextAllowedAt: utc(2026, 10, 24, 7) });
  });

  it('without a time zone on the card, a Russian number is called only when 09–21 holds in all eleven Russian zones (07:00–09:00 UTC)', () => {
    const unknown = { timeZone: null };
    const zones = clientTimeZones(unknown, '+79161234567', 'Europe/Moscow');
    expect(zones).toEqual(expect.arrayContaining(['Europe/Kaliningrad', 'Europe/Moscow', 'Asia/Kamchatka']));
    expect(mayCallNow(unknown, '+79161234567', utc(2026, 12, 7, 7, 30), window, noDnc).allowed).toBe(true);
    const later = mayCallNow(unknown, '+79161234567', utc(2026, 12, 7, 10), window, noDnc);
    expect(later).toMatchObject({ allowed: false, refused: 'outside_calling_window', nextAllowedAt: utc(2026, 12, 8, 7) });
    if (!later.allowed) expect(later.message).toMatch(/set the client's time zone/);
  });

  it('an unknown or invalid card zone falls back to the number, a number of no known country to the site', () => {
    expect(clientTimeZones({ timeZone: 'Mars/Olympus' }, '+4930123456', 'Europe/Moscow')).toContain('Europe/Berlin');
    expect(clientTimeZones({ timeZone: null }, '+999123', 'Europe/Moscow')).toEqual(['Europe/Moscow']);
  });

  it('never calls a number on the do-not-call list, whatever the hour', () => {
    const dnc = new Map([['+74951234567', { reason: 'asked not to be called, 2026-11-02' }]]);
    const refused = mayCallNow(moscowClient, '+74951234567', utc(2026, 12, 7, 9), window, dnc);
    expect(refused).toMatchObject({ allowed: false, refused: 'do_not_call', nextAllowedAt: null });
    if (!refused.allowed) expect(refused.message).toContain('asked not to be called');
    expect(mayCallNow(moscowClient, '+74951234568', utc(2026, 12, 7, 9), window, dnc).allowed).toBe(true);
  });

  it('says so when no hour of the window is common to every zone (and never calls)', () => {
    const short: CallingWindow = { start: '09:00', end: '10:00', siteTimeZone: 'UTC' };
    const refused = mayCallNow({ timeZone: null }, '+79161234567', utc(2026, 12, 7, 7), short, noDnc);
    expect(refused).toMatchObject({ allowed: false, nextAllowedAt: null });
  });

  it('00:00–24:00 is no window at all: any hour, anywhere', () => {
    const always: CallingWindow = { start: '00:00', end: '24:00', siteTimeZone: 'UTC' };
    for (const hour of [0, 3, 7, 12, 20, 23]) expect(mayCallNow({ timeZone: null }, '+79161234567', utc(2026, 12, 7, hour, 59), always, noDnc).allowed).toBe(true);
  });

  it('refuses windows that cannot work', () => {
    expect(() => checkCallingWindow({ start: '21:00', end: '09:00', siteTimeZone: 'UTC' })).toThrow(/before its end/);
    expect(() => checkCallingWindow({ start: '9:00', end: '21:00', siteTimeZone: 'UTC' })).toThrow(/HH:MM/);
    expect(() => checkCallingWindow({ start: '09:00', end: '21:00', siteTimeZone: 'Nowhere/City' })).toThrow(/IANA/);
  });
});
