import type { CallPermission } from '../../../src/routing/calling-window';
import { decideClientCall, type ClientCallCaller } from '../../../src/routing/client-call-rules';
import type { OutboundPurpose } from '../../../src/routing/outbound-policy';

const open: CallPermission = { allowed: true, timeZones: ['Europe/Moscow'] };
const listed: CallPermission = { allowed: false, refused: 'do_not_call', nextAllowedAt: null, message: '+74951000003 is on the do-not-call list (complaint)', timeZones: ['Europe/Moscow'] };
const early: CallPermission = {
  allowed: false, refused: 'outside_calling_window', nextAllowedAt: Date.UTC(2026, 11, 7, 6), timeZones: ['Europe/Moscow'], window: { start: '09:00', end: '21:00' },
  message: 'outside the calling window 09:00–21:00 in Europe/Moscow; next allowed at 2026-12-07T06:00:00.000Z',
};
/** What a person's screen is given to say the window in its own words. */
const earlyWindow = { start: '09:00', end: '21:00', timeZones: ['Europe/Moscow'], nextAllowedAt: Date.UTC(2026, 11, 7, 6) };
const operator: ClientCallCaller = { mayOverrideDoNotCall: false, overrideDoNotCall: false };
const supervisorOverriding: ClientCallCaller = { mayOverrideDoNotCall: true, overrideDoNotCall: true };

describe('what the do-not-call list and the calling window mean for each kind of outbound call', () => {
  it.each<[string, CallPermission, OutboundPurpose, ClientCallCaller, ReturnType<typeof decideClientCall>]>([
    ['inside the window, not listed: any call, nothing to say', open, 'click-to-call', operator, { allowed: true, notice: null }],
    ['listed: a person\'s click-to-call is refused, naming the entry', listed, 'click-to-call', operator, { allowed: false, refused: 'do_not_call', nextAllowedAt: null, message: listed.message }],
    ['listed: a number dialled on a desk phone is refused', listed, 'device', operator, { allowed: false, refused: 'do_not_call', nextAllowedAt: null, message: listed.message }],
    ['listed: a campaign call is refused', listed, 'campaign', supervisorOverriding, { allowed: false, refused: 'do_not_call', nextAllowedAt: null, message: listed.message }],
    ['listed: a callback is refused even with an override asked', listed, 'callback', supervisorOverriding, { allowed: false, refused: 'do_not_call', nextAllowedAt: null, message: listed.message }],
    ['listed: an operator asking to override is refused for want of the right', listed, 'click-to-call', { mayOverrideDoNotCall: false, overrideDoNotCall: true },
      { allowed: false, refused: 'override_not_allowed', nextAllowedAt: null, message: `${listed.message}; only a supervisor or an admin may override the list` }],
    ['listed: a supervisor with the right who does not ask is refused like anyone', listed, 'click-to-call', { mayOverrideDoNotCall: true, overrideDoNotCall: false },
      { allowed: false, refused: 'do_not_call', nextAllowedAt: null, message: listed.message }],
    ['listed: a supervisor overriding places the call and is told so', listed, 'click-to-call', supervisorOverriding, { allowed: true, notice: `${listed.message}: called because you overrode the list` }],
    ['outside the window: a person\'s own call goes through, with the client\'s hours said', early, 'click-to-call', operator, { allowed: true, notice: `the client's local time is ${early.message}`, outsideWindow: earlyWindow }],
    ['outside the window: a desk phone\'s call goes through', early, 'device', operator, { allowed: true, notice: `the client's local time is ${early.message}`, outsideWindow: earlyWindow }],
    ['outside the window: a campaign call is refused with when it opens', early, 'campaign', operator, { allowed: false, refused: 'outside_calling_window', nextAllowedAt: early.nextAllowedAt, message: early.message }],
    ['outside the window: a callback is refused (the dialer defers it to the opening)', early, 'callback', operator, { allowed: false, refused: 'outside_calling_window', nextAllowedAt: early.nextAllowedAt, message: early.message }],
  ])('%s', (_name, permission, purpose, caller, expected) => {
    expect(decideClientCall(permission, purpose, caller)).toEqual(expected);
  });
});
