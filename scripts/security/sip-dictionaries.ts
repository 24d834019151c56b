/**
 * The word lists the SIP attacks use: names for svwar (the real demo names
 * among common ones and a numeric range, as an attacker's list would have
 * them) and passwords for svcrack (common ones first, the real one late).
 */

/** Common SIP user names and extensions of the kind scanner lists start with. */
const COMMON_NAMES = ['admin', 'administrator', 'test', 'guest', 'operator', 'support', 'sales', 'info', 'office', 'reception', 'user', 'voip', 'sip', 'asterisk'];

/** The most common passwords (public breach lists), in their usual order. */
export const COMMON_PASSWORDS: readonly string[] = [
  '123456', 'password', '12345678', 'qwerty', '123456789', '12345', '1234', '111111', '1234567', 'dragon',
  '123123', 'baseball', 'abc123', 'football', 'monkey', 'letmein', '696969', 'shadow', 'master', '666666',
  'qwertyuiop', '123321', 'mustang', '1234567890', 'michael', '654321', 'superman', '1qaz2wsx', '7777777', '121212',
  '000000', 'qazwsx', '123qwe', 'killer', 'trustno1', 'jordan', 'jennifer', 'zxcvbnm', 'asdfgh', 'hunter',
  'buster', 'soccer', 'harley', 'batman', 'andrew', 'tigger', 'sunshine', 'iloveyou', '2000', 'charlie',
];

/** `from`..`to` as strings. */
export function numericRange(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

/** Names for svwar: common ones, the real ones (`realNames`) in between, then extensions 100–199 and 1000–1010. */
export function usernameDictionary(realNames: readonly string[]): string[] {
  const names = [...COMMON_NAMES.slice(0, 7), ...realNames, ...COMMON_NAMES.slice(7), ...numericRange(100, 199), ...numericRange(1000, 1010)];
  return [...new Set(names)];
}

/**
 * Passwords for svcrack: `before` common ones (more than the server's failure
 * limits, so that the limits have their chance), the real one, then a few more.
 */
export function passwordDictionary(realPassword: string, before = 40): string[] {
  const common = COMMON_PASSWORDS.filter((p) => p !== realPassword);
  if (before > common.length - 3) throw new Error(`at most ${common.length - 3} common passwords before the real one`);
  return [...common.slice(0, before), realPassword, ...common.slice(before, before + 3)];
}
