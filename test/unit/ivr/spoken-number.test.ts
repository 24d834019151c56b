import { QUEUE_WAIT_TEXTS } from '../../../src/ivr/queue-wait-prompts';
import { digitPromptIds, numberPromptIds, pluralFormOf } from '../../../src/ivr/spoken-number';

/** What a caller hears, as the words of the pieces. */
function said(ids: string[], language: 'en' | 'ru'): string {
  return ids.map((id) => {
    const text = QUEUE_WAIT_TEXTS[id];
    if (!text) throw new Error(`no prompt ${id}`);
    return text[language];
  }).join(' ');
}

describe('numbers said from prompt pieces', () => {
  it.each([
    [1, 'one', 'один'], [7, 'seven', 'семь'], [12, 'twelve', 'двенадцать'], [20, 'twenty', 'двадцать'],
    [21, 'twenty one', 'двадцать один'], [45, 'forty five', 'сорок пять'], [99, 'ninety nine', 'девяносто девять'], [0, 'zero', 'ноль'],
  ])('%i is said "%s" / "%s"', (n, en, ru) => {
    expect(said(numberPromptIds(n), 'en')).toBe(en);
    expect(said(numberPromptIds(n), 'ru')).toBe(ru);
  });

  it('agrees 1 and 2 with a feminine noun in Russian (минута), and English says them alike', () => {
    expect(said(numberPromptIds(1, 'feminine'), 'ru')).toBe('одна');
    expect(said(numberPromptIds(22, 'feminine'), 'ru')).toBe('двадцать две');
    expect(said(numberPromptIds(5, 'feminine'), 'ru')).toBe('пять');
    expect(said(numberPromptIds(22, 'feminine'), 'en')).toBe('twenty two');
  });

  it('has every piece 0–99 needs in the catalogue texts, and refuses what it cannot say', () => {
    for (let n = 0; n <= 99; n++) for (const gender of ['masculine', 'feminine'] as const) expect(() => said(numberPromptIds(n, gender), 'ru')).not.toThrow();
    expect(() => numberPromptIds(100)).toThrow(RangeError);
    expect(() => numberPromptIds(-1)).toThrow(RangeError);
    expect(() => numberPromptIds(2.5)).toThrow(RangeError);
  });

  it.each([
    [1, 'one', 'one'], [2, 'few', 'many'], [4, 'few', 'many'], [5, 'many', 'many'], [11, 'many', 'many'], [12, 'many', 'many'],
    [21, 'one', 'many'], [22, 'few', 'many'], [25, 'many', 'many'], [0, 'many', 'many'],
  ])('%i takes the %s form in Russian, %s in English', (n, ru, en) => {
    expect(pluralFormOf(n, 'ru')).toBe(ru);
    expect(pluralFormOf(n, 'en')).toBe(en);
  });

  it('reads a phone number digit by digit, without the plus', () => {
    expect(said(digitPromptIds('+7 916'), 'en')).toBe('seven nine one six');
  });
});
