import { Type, type Static } from '@sinclair/typebox';

/**
 * When campaigns and callbacks may dial a client, and how a callback the
 * client did not answer is tried again (issue 17; routing/calling-window.ts,
 * sip/callback-retry-policy.ts). Optional: absent, the defaults below hold.
 */
export const CallingRulesSchema = Type.Object(
  {
    // Local to the client (their card's time zone, else their number's country's); the end is excluded.
    window: Type.Object(
      {
        start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
        // 24:00: to the end of the day (00:00–24:00 is no window at all).
        end: Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' }),
        // The zone of a number whose country is unknown (the site's own).
        siteTimeZone: Type.String({ minLength: 1, pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$' }),
      },
      { additionalProperties: false },
    ),
    callbackRetry: Type.Object(
      {
        // Tries in all, the first included.
        maxAttempts: Type.Integer({ minimum: 1, maximum: 20 }),
        retryDelaySeconds: Type.Integer({ minimum: 0, maximum: 86_400 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type CallingRulesConfig = Static<typeof CallingRulesSchema>;

export const DEFAULT_CALLING_RULES: CallingRulesConfig = {
  window: { start: '09:00', end: '21:00', siteTimeZone: 'Europe/Moscow' },
  callbackRetry: { maxAttempts: 3, retryDelaySeconds: 300 },
};
