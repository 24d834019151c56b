import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Where Switchboard may send a call out through the trunk (issue 15: toll
 * fraud). A pure decision — no I/O — for one destination and one caller;
 * every outbound path (click-to-call, a staff device dialling, a queued
 * callback, a campaign call) asks it before anything reaches the trunk.
 *
 * How a destination (E.164) is judged: every rule whose prefix it starts with
 * is a candidate, and the most specific (longest prefix) decides. The rules:
 * - the site's home country code (`+7` for RU): allowed;
 * - any other country code: `international`, denied unless international
 *   calls are on (numbers abroad inside the home code, Kazakhstan's `+76`/`+77`
 *   for Russia, count as abroad);
 * - premium-rate ranges (BUILT_IN_PREMIUM_PREFIXES plus configured ones):
 *   `premium_rate`, denied unless premium calls are on; being longer than a
 *   country code, they stay closed when a whole country is allowed;
 * - the configured allowed and denied prefixes.
 * On equal length a configured rule beats a built-in one (allowing `+40`
 * opens Romania), and deny beats allow. So `deniedPrefixes: ['+7']` with
 * `allowedPrefixes: ['+7495']` dials Moscow only, and allowing one premium
 * number (`+78091234567`) opens that number, not its range.
 *
 * Emergency numbers (EMERGENCY below) are short codes, not E.164, and are
 * decided before everything else: a person dialling one — from their phone or
 * by click-to-call — gets through whatever their dial-out right, the lists and
 * their call count (phone systems must let anyone reach emergency services:
 * EU Directive 2018/1972 art. 109, US Kari's Law); a callback or a campaign
 * never dials one (a caller whose trunk asserted "112" must not make the
 * company call the emergency line).
 *
 * Then the caller: every purpose but a callback needs the dial-out right (the
 * ACD hands callbacks to agents who may not dial at will); and nobody has more
 * than `maxCallsPerUser` outbound calls at once (counted across processes by
 * the caller of this function).
 */

export type OutboundPurpose = 'click-to-call' | 'device' | 'callback' | 'campaign';

/** Why a call may or may not go out; `allowed` and `emergency` let it through. */
export type OutboundReason =
  | 'allowed'
  | 'emergency'
  | 'not_a_number'
  | 'denied_prefix'
  | 'international'
  | 'premium_rate'
  | 'emergency_not_automated'
  | 'no_dial_out_right'
  | 'call_limit_reached';

/** The policy as configured (config key `outbound`). */
export interface OutboundPolicySettings {
  /** E.164 prefixes (`+40`, `+7495`) that may be dialled even where a broader rule denies. */
  allowedPrefixes: readonly string[];
  /** E.164 prefixes never dialled (unless a longer allowed prefix covers the number). */
  deniedPrefixes: readonly string[];
  /** Numbers outside the home country code. */
  allowInternational: boolean;
  /** Premium-rate ranges (built in and configured). */
  allowPremium: boolean;
  /** Premium-rate ranges in addition to BUILT_IN_PREMIUM_PREFIXES. */
  premiumPrefixes: readonly string[];
  /** Short codes dialled as they are (not E.164): see the module comment. */
  emergencyNumbers: readonly string[];
  /** Outbound calls one person may have at once. */
  maxCallsPerUser: number;
}

/** The settings read once for a site: its home country and the rules as a list. */
export interface OutboundPolicy {
  homeCountry: string;
  homeCode: string;
  rules: readonly PrefixRule[];
  emergencyNumbers: ReadonlySet<string>;
  maxCallsPerUser: number;
}

interface PrefixRule {
  prefix: string;
  allow: boolean;
  /** Set by configuration (beats a built-in rule of the same length). */
  configured: boolean;
  /** What a deny is called. */
  reason: Exclude<OutboundReason, 'allowed' | 'emergency'>;
}

export interface OutboundCallRequest {
  /** E.164 (`+74951000001`) after normalisation (directory/phone-number.ts), or an emergency short code as dialled. */
  destination: string;
  purpose: OutboundPurpose;
  caller: {
    staffId: number;
    /** staff.can_dial_out */
    canDialOut: boolean;
    /** This person's outbound calls live now, across processes. */
    liveCalls: number;
  };
}

export interface OutboundDecision {
  allowed: boolean;
  reason: OutboundReason;
  /** The prefix of the rule that decided, when one did. */
  prefix: string | null;
  /** An emergency call: it takes no part in the call cap. */
  emergency: boolean;
  /** With call_limit_reached: the cap. */
  limit?: number;
  /** One line for the log and the error message. */
  message: string;
}

/** Emergency short codes dialled as they are by default: the EU's and Russia's, and those of the US and the UK, which visitors dial. */
export const DEFAULT_EMERGENCY_NUMBERS: readonly string[] = ['112', '101', '102', '103', '104', '911', '999'];

/**
 * Premium-rate ranges known to Switchboard, by country code (each one checked
 * against libphonenumber's metadata in the unit tests). The site's own
 * country is the one that matters by default; the others matter once
 * international calls are opened.
 */
export const BUILT_IN_PREMIUM_PREFIXES: readonly string[] = [
  // Russia (and Kazakhstan, in the same numbering plan): 803, 809 — calls paid by the caller at a premium.
  '+7803', '+7809',
  // NANP: 900.
  '+1900',
  // UK: 09x, 0871–0873.
  '+4490', '+4491', '+44982', '+44983', '+44984', '+44989', '+44871', '+44872', '+44873',
  // Germany 0900, France 089x, Italy 899, Spain 803/806/807, Romania 0900/0903/0906, Czechia 900, Poland 70x, Netherlands 0900, Belgium 090x.
  '+49900', '+3389', '+39899', '+34803', '+34806', '+34807', '+40900', '+40903', '+40906', '+420900', '+4870', '+31900', '+3290',
];

/** Numbers inside a shared country code that belong to another country (dialled abroad). */
const ABROAD_IN_HOME_CODE: Readonly<Record<string, readonly string[]>> = {
  // +7: Russia and Kazakhstan (6xx, 7xx).
  RU: ['+76', '+77'],
  KZ: ['+73', '+74', '+78', '+79'],
};

const E164 = /^\+[1-9][0-9]{1,14}$/;
const PREFIX = /^\+[0-9]{0,15}$/;

/** Builds the rule list once per site; throws naming a setting it cannot read (the config fails fast). */
export function outboundPolicyFor(settings: OutboundPolicySettings, homeCountry: string): OutboundPolicy {
  if (!isSupportedCountry(homeCountry)) throw new Error(`the home country "${homeCountry}" is not a country libphonenumber knows`);
  const homeCode = `+${getCountryCallingCode(homeCountry)}`;
  for (const key of ['allowedPrefixes', 'deniedPrefixes', 'premiumPrefixes'] as const) {
    const bad = settings[key].find((p) => !PREFIX.test(p));
    if (bad !== undefined) throw new Error(`outbound.${key}: "${bad}" is not an E.164 prefix ("+" and digits, e.g. +7495)`);
  }
  const rules: PrefixRule[] = [
    { prefix: homeCode, allow: true, configured: false, reason: 'international' },
    ...(ABROAD_IN_HOME_CODE[homeCountry] ?? []).map((prefix) => ({ prefix, allow: settings.allowInternational, configured: false, reason: 'international' as const })),
    // Any number at all: abroad unless a longer rule (the home code) says otherwise.
    { prefix: '+', allow: settings.allowInternational, configured: false, reason: 'international' },
    ...[...BUILT_IN_PREMIUM_PREFIXES, ...settings.premiumPrefixes].map((prefix) => ({ prefix, allow: settings.allowPremium, configured: false, reason: 'premium_rate' as const })),
    ...settings.allowedPrefixes.map((prefix) => ({ prefix, allow: true, configured: true, reason: 'denied_prefix' as const })),
    ...settings.deniedPrefixes.map((prefix) => ({ prefix, allow: false, configured: true, reason: 'denied_prefix' as const })),
  ];
  return { homeCountry, homeCode, rules, emergencyNumbers: new Set(settings.emergencyNumbers), maxCallsPerUser: settings.maxCallsPerUser };
}

/** The rule that decides for an E.164 number: longest prefix; then configured before built-in; then deny before allow. */
function decidingRule(e164: string, rules: readonly PrefixRule[]): PrefixRule | null {
  let best: PrefixRule | null = null;
  for (const rule of rules) {
    if (!e164.startsWith(rule.prefix)) continue;
    if (!best || rank(rule) > rank(best)) best = rule;
  }
  return best;
}

function rank(rule: PrefixRule): number {
  return rule.prefix.length * 4 + (rule.configured ? 2 : 0) + (rule.allow ? 0 : 1);
}

/** The policy's answer for one outbound call: see the module comment for the order of the checks. */
export function decideOutboundCall(request: OutboundCallRequest, policy: OutboundPolicy): OutboundDecision {
  const { destination, purpose, caller } = request;
  if (policy.emergencyNumbers.has(destination)) {
    if (purpose === 'callback' || purpose === 'campaign') {
      return deny('emergency_not_automated', null, `${destination} is an emergency number: a ${purpose} never dials it`);
    }
    return { allowed: true, reason: 'emergency', prefix: null, emergency: true, message: `${destination} is an emergency number: always put through` };
  }
  if (!E164.test(destination)) return deny('not_a_number', null, `"${destination}" is not an E.164 number`);
  const rule = decidingRule(destination, policy.rules);
  if (rule && !rule.allow) {
    // The catch-all rule names the destination's own country code, which is what a person reading the refusal needs.
    const prefix = rule.prefix === '+' ? countryCodeOf(destination) : rule.prefix;
    return deny(rule.reason, prefix, denialMessage(destination, { ...rule, prefix }, policy));
  }
  if (purpose !== 'callback' && !caller.canDialOut) {
    return deny('no_dial_out_right', null, `staff member ${caller.staffId} may not make outbound calls`);
  }
  if (caller.liveCalls >= policy.maxCallsPerUser) {
    return { ...deny('call_limit_reached', null, `staff member ${caller.staffId} already has ${caller.liveCalls} outbound call(s); at most ${policy.maxCallsPerUser} at once`), limit: policy.maxCallsPerUser };
  }
  return { allowed: true, reason: 'allowed', prefix: rule?.prefix ?? null, emergency: false, message: `${destination} may be dialled` };
}

function countryCodeOf(e164: string): string {
  const code = parsePhoneNumberFromString(e164)?.countryCallingCode;
  return code ? `+${code}` : '+';
}

function deny(reason: OutboundReason, prefix: string | null, message: string): OutboundDecision {
  return { allowed: false, reason, prefix, emergency: false, message };
}

function denialMessage(destination: string, rule: PrefixRule, policy: OutboundPolicy): string {
  switch (rule.reason) {
    case 'premium_rate':
      return `${destination} is a premium-rate number (in ${rule.prefix}): premium-rate calls are off`;
    case 'international':
      return `${destination} (${rule.prefix}) is outside the home country code ${policy.homeCode}: international calls are off`;
    default:
      return `${destination} is on the denied list (in ${rule.prefix})`;
  }
}
