import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  BUILT_IN_PREMIUM_PREFIXES, DEFAULT_EMERGENCY_NUMBERS, decideOutboundCall, outboundPolicyFor, type OutboundCallRequest, type OutboundPolicySettings,
} from '../../../src/routing/outbound-policy';

/** The shipped defaults: international and premium off, no lists, two calls at once. */
const DEFAULTS: OutboundPolicySettings = {
  allowedPrefixes: [], deniedPrefixes: [], allowInternational: false, allowPremium: false, premiumPrefixes: [],
  emergencyNumbers: [...DEFAULT_EMERGENCY_NUMBERS], maxCallsPerUser: 2,
};
const policy = (over: Partial<OutboundPolicySettings> = {}, country = 'RU') => outboundPolicyFor({ ...DEFAULTS, ...over }, country);
const ask = (destination: string, over: Partial<OutboundCallRequest> = {}): OutboundCallRequest => ({
  destination, purpose: 'click-to-call', caller: { staffId: 7, canDialOut: true, liveCalls: 0 }, ...over,
});

describe('the outbound destination policy (issue 15)', () => {
  it.each([
    // [destination, verdict, reason, why]
    ['+74951000001', true, 'allowed', 'a Moscow landline: home country'],
    ['+79161000002', true, 'allowed', 'a Russian mobile'],
    ['+74822100005', true, 'allowed', 'Tver, another region of the home country'],
    ['+78001234567', true, 'allowed', 'a Russian freephone number'],
    ['+78091234567', false, 'premium_rate', 'Russian premium rate (809)'],
    ['+78031234567', false, 'premium_rate', 'Russian premium rate (803)'],
    ['+40264100008', false, 'international', 'Romania: outside the home country code'],
    ['+19005551234', false, 'premium_rate', 'US premium rate: abroad too, but the premium range is the more specific rule'],
    ['+77011234567', false, 'international', 'Kazakhstan shares +7 but is abroad'],
    ['+447001234567', false, 'international', 'the UK'],
  ])('%s → allowed %s (%s): %s', (destination, allowed, reason) => {
    const decision = decideOutboundCall(ask(destination), policy());
    expect({ allowed: decision.allowed, reason: decision.reason }).toEqual({ allowed, reason });
  });

  it('names the rule that decided, for the log and the error message', () => {
    expect(decideOutboundCall(ask('+78091234567'), policy())).toMatchObject({ allowed: false, reason: 'premium_rate', prefix: '+7809' });
    expect(decideOutboundCall(ask('+40264100008'), policy())).toMatchObject({ allowed: false, reason: 'international', prefix: '+40' });
    expect(decideOutboundCall(ask('+74951000001'), policy())).toMatchObject({ allowed: true, reason: 'allowed', prefix: '+7' });
  });

  it('an allowed prefix opens a country; international on opens all but premium; premium on opens premium', () => {
    expect(decideOutboundCall(ask('+40264100008'), policy({ allowedPrefixes: ['+40'] }))).toMatchObject({ allowed: true, reason: 'allowed', prefix: '+40' });
    expect(decideOutboundCall(ask('+447001234567'), policy({ allowedPrefixes: ['+40'] }))).toMatchObject({ allowed: false, reason: 'international' });
    expect(decideOutboundCall(ask('+447001234567'), policy({ allowInternational: true }))).toMatchObject({ allowed: true });
    // Premium abroad stays closed with international on: the premium range is the more specific rule.
    expect(decideOutboundCall(ask('+449012345678'), policy({ allowInternational: true }))).toMatchObject({ allowed: false, reason: 'premium_rate', prefix: '+4490' });
    expect(decideOutboundCall(ask('+40900123456'), policy({ allowedPrefixes: ['+40'] }))).toMatchObject({ allowed: false, reason: 'premium_rate', prefix: '+40900' });
    expect(decideOutboundCall(ask('+78091234567'), policy({ allowPremium: true }))).toMatchObject({ allowed: true });
    // A whole country allowed does not open its premium range; allowing one premium number does.
    expect(decideOutboundCall(ask('+78091234567'), policy({ allowedPrefixes: ['+7'] }))).toMatchObject({ allowed: false, reason: 'premium_rate' });
    expect(decideOutboundCall(ask('+78091234567'), policy({ allowedPrefixes: ['+78091234567'] }))).toMatchObject({ allowed: true, prefix: '+78091234567' });
  });

  it('denied prefixes: the longest matching rule decides, and deny wins a tie', () => {
    expect(decideOutboundCall(ask('+74951000001'), policy({ deniedPrefixes: ['+7495'] }))).toMatchObject({ allowed: false, reason: 'denied_prefix', prefix: '+7495' });
    expect(decideOutboundCall(ask('+74991000001'), policy({ deniedPrefixes: ['+7495'] }))).toMatchObject({ allowed: true });
    // Only Moscow: everything in +7 denied but the two Moscow codes.
    const moscowOnly = policy({ deniedPrefixes: ['+7'], allowedPrefixes: ['+7495', '+7499'] });
    expect(decideOutboundCall(ask('+74951000001'), moscowOnly)).toMatchObject({ allowed: true, prefix: '+7495' });
    expect(decideOutboundCall(ask('+74822100005'), moscowOnly)).toMatchObject({ allowed: false, reason: 'denied_prefix', prefix: '+7' });
    // The same prefix on both lists: denied.
    expect(decideOutboundCall(ask('+40264100008'), policy({ allowedPrefixes: ['+40'], deniedPrefixes: ['+40'] }))).toMatchObject({ allowed: false, reason: 'denied_prefix' });
    // A configured deny beats the home country (same length).
    expect(decideOutboundCall(ask('+74951000001'), policy({ deniedPrefixes: ['+7'] }))).toMatchObject({ allowed: false, reason: 'denied_prefix' });
    // Configured premium prefixes add to the built-in ones.
    expect(decideOutboundCall(ask('+74951000001'), policy({ premiumPrefixes: ['+749510'] }))).toMatchObject({ allowed: false, reason: 'premium_rate', prefix: '+749510' });
  });

  it('the home country follows the site: a Romanian site dials Romania and not Moscow', () => {
    expect(decideOutboundCall(ask('+40264100008'), policy({}, 'RO'))).toMatchObject({ allowed: true });
    expect(decideOutboundCall(ask('+74951000001'), policy({}, 'RO'))).toMatchObject({ allowed: false, reason: 'international', prefix: '+7' });
    expect(decideOutboundCall(ask('+40900123456'), policy({}, 'RO'))).toMatchObject({ allowed: false, reason: 'premium_rate' });
  });

  it('the dial-out right: every purpose but a callback needs it', () => {
    const noRight = { staffId: 7, canDialOut: false, liveCalls: 0 };
    for (const purpose of ['click-to-call', 'device', 'campaign'] as const) {
      expect(decideOutboundCall(ask('+74951000001', { purpose, caller: noRight }), policy())).toMatchObject({ allowed: false, reason: 'no_dial_out_right' });
    }
    expect(decideOutboundCall(ask('+74951000001', { purpose: 'callback', caller: noRight }), policy())).toMatchObject({ allowed: true });
    // A callback to a number the trunk asserted still meets the destination rules.
    expect(decideOutboundCall(ask('+78091234567', { purpose: 'callback', caller: noRight }), policy())).toMatchObject({ allowed: false, reason: 'premium_rate' });
  });

  it('the per-user cap: a third call at once is refused, a second is not', () => {
    expect(decideOutboundCall(ask('+74951000001', { caller: { staffId: 7, canDialOut: true, liveCalls: 1 } }), policy())).toMatchObject({ allowed: true });
    expect(decideOutboundCall(ask('+74951000001', { caller: { staffId: 7, canDialOut: true, liveCalls: 2 } }), policy())).toMatchObject({ allowed: false, reason: 'call_limit_reached', limit: 2 });
    expect(decideOutboundCall(ask('+74951000001', { caller: { staffId: 7, canDialOut: true, liveCalls: 4 } }), policy({ maxCallsPerUser: 5 }))).toMatchObject({ allowed: true });
    // The destination is judged first: a premium number says premium, whatever the count.
    expect(decideOutboundCall(ask('+78091234567', { caller: { staffId: 7, canDialOut: true, liveCalls: 9 } }), policy())).toMatchObject({ reason: 'premium_rate' });
  });

  it('emergency numbers: a person dialling gets through whatever their rights, lists and count; callbacks and campaigns never dial them', () => {
    const nobody = { staffId: 7, canDialOut: false, liveCalls: 5 };
    for (const purpose of ['device', 'click-to-call'] as const) {
      expect(decideOutboundCall(ask('112', { purpose, caller: nobody }), policy({ deniedPrefixes: ['+'] }))).toMatchObject({ allowed: true, reason: 'emergency', emergency: true });
    }
    for (const purpose of ['callback', 'campaign'] as const) {
      expect(decideOutboundCall(ask('112', { purpose }), policy())).toMatchObject({ allowed: false, reason: 'emergency_not_automated' });
    }
    expect(decideOutboundCall(ask('911', { purpose: 'device' }), policy())).toMatchObject({ allowed: true, reason: 'emergency' });
    // Configurable: a site that lists only 112 does not treat 911 as one (and 911 is no E.164 number).
    expect(decideOutboundCall(ask('911', { purpose: 'device' }), policy({ emergencyNumbers: ['112'] }))).toMatchObject({ allowed: false, reason: 'not_a_number' });
  });

  it('anything that is not E.164 or an emergency number is refused as not a number', () => {
    expect(decideOutboundCall(ask('4951000001'), policy())).toMatchObject({ allowed: false, reason: 'not_a_number' });
    expect(decideOutboundCall(ask('+7495abc'), policy())).toMatchObject({ allowed: false, reason: 'not_a_number' });
  });

  it('every built-in premium prefix is a premium-rate range by libphonenumber\'s own metadata', () => {
    for (const prefix of BUILT_IN_PREMIUM_PREFIXES) {
      const types = [];
      for (const filler of ['1234567890123', '5551234567890']) {
        for (let length = prefix.length + 3; length <= 16; length++) types.push(parsePhoneNumberFromString((prefix + filler).slice(0, length))?.getType());
      }
      expect({ prefix, premium: types.includes('PREMIUM_RATE') }).toEqual({ prefix, premium: true });
    }
  });

  it('refuses settings it cannot read, naming them', () => {
    expect(() => policy({ allowedPrefixes: ['0040'] })).toThrow(/allowedPrefixes.*"0040"/);
    expect(() => policy({ deniedPrefixes: ['+7 495'] })).toThrow(/deniedPrefixes/);
    expect(() => policy({}, 'XX')).toThrow(/country/);
  });
});
