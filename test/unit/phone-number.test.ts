import { tryNormalisePhone, normalisePhone } from '../../src/directory/phone-number';
import { AppError } from '../../src/errors/app-error';

describe('phone number normalisation', () => {
  it.each([
    ['+7 (495) 123-45-67', 'RU', '+74951234567'],
    ['8 495 1234567', 'RU', '+74951234567'],
    ['8(495)123-45-67', 'RU', '+74951234567'],
    ['74951234567', 'RU', '+74951234567'],
    ['+74951234567', 'PL', '+74951234567'],
    ['0040 21 313 1234', 'RU', '+40213131234'],
    ['0040-21-313-12-34', 'PL', '+40213131234'],
    ['021 313 1234', 'RO', '+40213131234'],
    ['+48 22 123 45 67', 'RU', '+48221234567'],
    ['sip:+74951234567@trunk.example;user=phone', 'RU', '+74951234567'],
    ['tel:+7-495-123-45-67', 'RU', '+74951234567'],
    ['sip:84951234567@10.0.0.1', 'RU', '+74951234567'],
  ])('%s (default %s) → %s', (input, country, expected) => {
    expect(tryNormalisePhone(input, country)).toBe(expected);
  });

  it.each(['', 'anonymous', 'sip:anonymous@anonymous.invalid', '12', 'call me maybe', '+7 495 12a 45 67'])(
    'refuses %j',
    (input) => {
      expect(tryNormalisePhone(input, 'RU')).toBeNull();
    },
  );

  it('throws BAD_PHONE_NUMBER naming the input and path', () => {
    let caught: unknown;
    try {
      normalisePhone('not a number', 'RU', 'phones[0]');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    const appError = caught as AppError;
    expect(appError.code).toBe('BAD_PHONE_NUMBER');
    expect(appError.httpStatus).toBe(400);
    expect(appError.details[0]).toEqual({ path: 'phones[0]', message: '"not a number" is not a phone number' });
  });
});
