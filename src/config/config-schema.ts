import { Type, type Static } from '@sinclair/typebox';

const NullableString = Type.Union([Type.String({ minLength: 1 }), Type.Null()]);
const Port = Type.Integer({ minimum: 1, maximum: 65535 });

/** The whole configuration, validated once at start-up (design §8). */
export const ConfigSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')]),
    dataDir: Type.String({ minLength: 1 }),
    log: Type.Object(
      {
        level: Type.Union(
          ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
        ),
      },
      { additionalProperties: false },
    ),
    http: Type.Object(
      { host: Type.String({ minLength: 1 }), port: Port, publicDir: Type.String({ minLength: 1 }) },
      { additionalProperties: false },
    ),
    auth: Type.Object(
      {
        tokenTtlHours: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 30 }),
        adminUser: Type.String({ minLength: 1 }),
        adminPassword: Type.Optional(Type.String({ minLength: 8 })),
      },
      { additionalProperties: false },
    ),
    phone: Type.Object(
      { defaultCountry: Type.String({ pattern: '^[A-Z]{2}$' }) },
      { additionalProperties: false },
    ),
    database: Type.Object(
      {
        url: NullableString,
        embedded: Type.Object({ port: Port }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
    redis: Type.Object({ url: NullableString, port: Port }, { additionalProperties: false }),
    rtpengine: Type.Object(
      {
        url: NullableString,
        binary: Type.String({ minLength: 1 }),
        ngPort: Port,
        interface: Type.String({ minLength: 1 }),
        portMin: Port,
        portMax: Port,
        dtmfLogPort: Port,
      },
      { additionalProperties: false },
    ),
    drachtio: Type.Object(
      {
        host: NullableString,
        port: Port,
        secret: Type.String({ minLength: 1 }),
        binary: Type.String({ minLength: 1 }),
        sipPort: Port,
        wsPort: Port,
      },
      { additionalProperties: false },
    ),
    sip: Type.Object(
      {
        realm: Type.String({ minLength: 1 }),
        // An address, a range, or an address with its SIP port (`192.0.2.7:5080`, `[2001:db8::7]:5080`): see sip/trunk-address.ts.
        trunks: Type.Array(Type.String({ pattern: '^([0-9a-fA-F:.]+(/[0-9]{1,3})?|\\[[0-9a-fA-F:.]+\\](:[0-9]{1,5})?)$' })),
      },
      { additionalProperties: false },
    ),
    recordings: Type.Object({ retentionDays: Type.Integer({ minimum: 1, maximum: 3650 }) }, { additionalProperties: false }),
    demo: Type.Object({ seedOnFirstStart: Type.Boolean(), alwaysOpen: Type.Boolean({ default: false }) }, { additionalProperties: false }),
    // Reports cut their hours and days in this IANA zone unless a request names one (absent: UTC).
    reports: Type.Optional(Type.Object({ timeZone: Type.String({ minLength: 1, pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$' }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export type AppConfig = Static<typeof ConfigSchema>;
