import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { AppError } from '../errors/app-error';

/**
 * Reduces what people and SIP headers write for a number to its E.164 form.
 * Accepts `+7 (495) 123-45-67`, `8 495 1234567` (national prefix of the default
 * country), `0040 21 …` and `00…` international prefixes, `sip:`/`tel:` URIs.
 * Returns null when the text is not a possible phone number.
 */
export function tryNormalisePhone(input: string, defaultCountry: string): string | null {
  let text = input.trim();
  // A SIP or tel URI carries the number as its user part (RFC 3966 / RFC 3261 §19.1).
  const uri = /^(?:sips?|tel):([^@;]+)/i.exec(text);
  if (uri?.[1]) text = decodeURIComponent(uri[1]);
  text = text.replace(/;.*$/, '');
  if (!/\d/.test(text) || /[^\d\s+()./-]/.test(text)) return null;
  const compact = text.replace(/[\s().-]/g, '');
  // "00" is the international call prefix almost everywhere; libphonenumber only
  // knows it for countries whose prefix it is, so read it as "+" ourselves.
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  const parsed = parsePhoneNumberFromString(international, defaultCountry as CountryCode);
  if (!parsed?.isPossible()) return null;
  return parsed.number;
}

/** As tryNormalisePhone, but an unreadable number is a BAD_PHONE_NUMBER error naming the input. */
export function normalisePhone(input: string, defaultCountry: string, path?: string): string {
  const e164 = tryNormalisePhone(input, defaultCountry);
  if (e164 === null) {
    throw new AppError('BAD_PHONE_NUMBER', `"${input}" is not a phone number`, [
      { ...(path ? { path } : {}), message: `"${input}" is not a phone number` },
    ]);
  }
  return e164;
}
