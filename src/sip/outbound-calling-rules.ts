import type { Queryable } from '../db/pool';
import { clientTimeZone, doNotCallEntries, findTrunkIdentity } from '../db/repositories/outbound-rules-repository';
import { DEFAULT_CALLING_RULES, type CallingRulesConfig } from '../config/calling-rules-schema';
import { checkCallingWindow, mayCallNow, type CallingWindow, type CallPermission } from '../routing/calling-window';
import { checkCallbackRetrySettings, DEFAULT_CALLBACK_RETRY, type CallbackRetrySettings } from './callback-retry-policy';
import { trunkIdentityHeaders, type OutboundCallKind } from './trunk-caller-identity';
import type { TrunkTarget } from './trunk-address';

/**
 * The rules outbound calls obey besides the destination policy (issue 17),
 * read from the directory for one call: may this client be called now
 * (do-not-call list, calling window in their time zone), and who the call
 * says it is from at the trunk. Thin: the decisions are calling-window.ts
 * and trunk-caller-identity.ts.
 */
export interface CallingRules {
  /** Campaigns and callbacks dial only inside it; null: at any hour (the do-not-call list still holds). */
  window: CallingWindow | null;
  callbackRetry: CallbackRetrySettings;
}

export const NO_CALLING_RULES: CallingRules = { window: null, callbackRetry: DEFAULT_CALLBACK_RETRY };

/** The configured rules (config `callingRules`, else its defaults), checked: throws naming a setting that cannot work. */
export function callingRulesFor(config: CallingRulesConfig | undefined): CallingRules {
  const { window, callbackRetry } = config ?? DEFAULT_CALLING_RULES;
  return {
    window: checkCallingWindow(window),
    callbackRetry: checkCallbackRetrySettings({ maxAttempts: callbackRetry.maxAttempts, retryDelayMs: callbackRetry.retryDelaySeconds * 1000 }),
  };
}

const ANY_HOUR: Omit<CallingWindow, 'siteTimeZone'> = { start: '00:00', end: '24:00' };

/** May `e164` (of `clientId`, when known) be called now by a campaign or a callback? */
export async function mayCallClient(db: Queryable, rules: CallingRules, clientId: number | null, e164: string, now: number): Promise<CallPermission> {
  const [dnc, timeZone] = await Promise.all([doNotCallEntries(db, [e164]), clientId !== null ? clientTimeZone(db, clientId) : Promise.resolve(null)]);
  const window = rules.window ?? { ...ANY_HOUR, siteTimeZone: 'UTC' };
  return mayCallNow({ timeZone }, e164, now, window, dnc);
}

/** The trunk's From / P-Asserted-Identity / Privacy for a call of `kind` (unidentified when none is configured). */
export async function trunkIdentityFor(db: Queryable, trunk: TrunkTarget, kind: OutboundCallKind): Promise<Record<string, string>> {
  const identity = await findTrunkIdentity(db, trunkKey(trunk));
  return trunkIdentityHeaders(identity, kind, trunk);
}

/** How the directory names a trunk: `host:port` as dialled (an IPv6 host is bracketed already, trunk-address.ts). */
export function trunkKey(trunk: TrunkTarget): string {
  return `${trunk.host}:${trunk.port}`;
}
