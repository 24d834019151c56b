/**
 * Numbers said to a caller, built from prompt pieces instead of one prompt
 * per number: `num_0`…`num_19` and the tens `num_20`…`num_90`, so that 1–99
 * need 28 recordings per language. Russian agrees the number with its noun
 * ("одна минута", "две минуты" but "номер один", "номер два"), hence the
 * feminine pieces `num_1_f` and `num_2_f`; English says them the same.
 */

/** The grammatical gender the number agrees with (Russian 1 and 2). */
export type NumberGender = 'masculine' | 'feminine';

/** The largest number said in words; callers are told "many" or "over an hour" beyond it. */
export const LARGEST_SPOKEN_NUMBER = 99;

/**
 * Prompt ids that say `n` (0–99) in `language`, in order.
 * @throws RangeError outside 0–99 or for a non-integer: the caller of this decides what to say instead.
 */
export function numberPromptIds(n: number, gender: NumberGender = 'masculine'): string[] {
  if (!Number.isInteger(n) || n < 0 || n > LARGEST_SPOKEN_NUMBER) throw new RangeError(`no spoken form for ${n}`);
  if (n < 20) return [unitId(n, gender)];
  const tens = Math.floor(n / 10) * 10;
  const units = n % 10;
  return units === 0 ? [`num_${tens}`] : [`num_${tens}`, unitId(units, gender)];
}

function unitId(n: number, gender: NumberGender): string {
  return gender === 'feminine' && (n === 1 || n === 2) ? `num_${n}_f` : `num_${n}`;
}

/** Plural category of a count, as CLDR names them for the languages we speak ('few' exists in Russian only). */
export type PluralForm = 'one' | 'few' | 'many';

/**
 * Which form of the noun follows `n` (CLDR plural rules, integers only):
 * Russian 1, 21, 31… one; 2–4, 22–24… few; 0, 5–20, 25–30… many;
 * English 1 one, every other count many. Unknown languages follow English.
 */
export function pluralFormOf(n: number, language: string): PluralForm {
  if (language === 'ru') {
    const lastTwo = n % 100;
    const last = n % 10;
    if (last === 1 && lastTwo !== 11) return 'one';
    if (last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)) return 'few';
    return 'many';
  }
  return n === 1 ? 'one' : 'many';
}

/** Each digit of a phone number said one by one (a '+' is not said). */
export function digitPromptIds(number: string): string[] {
  return [...number].filter((c) => c >= '0' && c <= '9').map((d) => `num_${d}`);
}
