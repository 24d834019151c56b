import { Type, type Static } from '@sinclair/typebox';
import { CallingRulesSchema } from './calling-rules-schema';

const NullableString = Type.Union([Type.String({ minLength: 1 }), Type.Null()]);
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
/** An IPv4 or IPv6 address written plainly (no brackets, no port). */
const IpAddress = Type.String({ minLength: 2, pattern: '^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$' });
/** A host name or an address a certificate may name. */
const HostName = Type.String({ minLength: 1, maxLength: 253, pattern: '^([A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|[0-9a-fA-F:.]+)$' });
/** A STUN or TURN server handed to the browser softphone (RTCIceServer). */
const IceServer = Type.Object(
  {
    urls: Type.String({ pattern: '^(stun|stuns|turn|turns):' }),
    username: Type.Optional(Type.String({ minLength: 1 })),
    credential: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

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
      {
        // null: by mode (network/listen-plan.ts): loopback for a development start not told an address, else every address.
        host: NullableString, port: Port, publicDir: Type.String({ minLength: 1 }),
        // With TLS on, plain HTTP on the same port only redirects; these answer over it too, for load balancers.
        plainHealth: Type.Boolean(),
        // Who may read /metrics and /readyz's per-component detail (issue 15): these networks (CIDR), or a request
        // bearing the monitoring token. Anyone else gets /readyz's bare verdict (load balancers) and 403 for /metrics.
        monitoringNetworks: Type.Array(Type.String({ minLength: 1 })),
        monitoringToken: Type.Union([Type.String({ minLength: 16 }), Type.Null()]),
      },
      { additionalProperties: false },
    ),
    network: Type.Object(
      // The address phones, trunks and operators' PCs reach this machine by; `auto`: its primary non-loopback address;
      // null: `auto` in production, loopback for a development start (network/listen-plan.ts).
      { publicAddress: Type.Union([IpAddress, Type.Literal('auto'), Type.Null()]) },
      { additionalProperties: false },
    ),
    tls: Type.Object(
      {
        enabled: Type.Boolean(),
        // A real certificate (PEM, leaf first) and its key; both null: a local CA in <dataDir>/tls issues one.
        certFile: NullableString,
        keyFile: NullableString,
        // The CA list drachtio-server loads for SIP over TLS (default: the certificate file itself).
        chainFile: NullableString,
        // Extra names and addresses the generated certificate covers (an office DNS name, a NAT address).
        names: Type.Array(HostName),
      },
      { additionalProperties: false },
    ),
    auth: Type.Object(
      {
        tokenTtlHours: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 30 }),
        // Issue 15: a URL ticket (auth/url-tickets.ts) lives this long; an open WebSocket re-checks its session this often.
        urlTicketTtlSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 600 }),
        socketRecheckSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 3600 }),
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
    redis: Type.Object(
      {
        // An external Redis; null: a local redis-server on `port` (or Sentinel, below).
        url: NullableString,
        port: Port,
        // Redis Sentinel (issue 14): `host:port` of sentinels to ask for the current primary (IPv6 in brackets; port
        // default 26379); checked in load-config.ts so that a bad one is named plainly. Empty: no Sentinel.
        sentinels: Type.Array(Type.String({ minLength: 1 })),
        // The primary's name in the sentinels' `sentinel monitor <name> …`.
        sentinelName: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' }),
        // With Sentinel only (a URL carries its own): the Redis servers' password, and the sentinels' own.
        password: NullableString,
        sentinelPassword: NullableString,
      },
      { additionalProperties: false },
    ),
    rtpengine: Type.Object(
      {
        // One external rtpengine (`udp://host:port`), or several in `urls` (calls spread over them, issue 14); checked
        // in load-config.ts so that a bad one is named plainly. Neither: a local rtpengine is started.
        url: NullableString,
        urls: Type.Array(Type.String({ minLength: 1 })),
        binary: Type.String({ minLength: 1 }),
        ngPort: Port,
        // The address rtpengine puts in SDP and listens for media on; null: network.publicAddress.
        interface: Type.Union([IpAddress, Type.Null()]),
        portMin: Port,
        portMax: Port,
        dtmfLogPort: Port,
        // rtpengine's --recording-dir as this process sees it; null: <dataDir>/recordings/raw (a local rtpengine's).
        recordingDir: NullableString,
        // With `urls`: each rtpengine's --recording-dir as this process sees it, one per URL in the same order.
        recordingDirs: Type.Array(Type.String({ minLength: 1 })),
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
        // Plain WebSocket for softphones, served only with TLS off (browsers need HTTPS for the microphone).
        wsPort: Port,
        // Secure WebSocket for softphones and SIP over TLS for desk phones, with TLS on.
        wssPort: Port,
        tlsPort: Port,
      },
      { additionalProperties: false },
    ),
    sip: Type.Object(
      {
        realm: Type.String({ minLength: 1 }),
        // An address, a range, or an address with its SIP port (`192.0.2.7:5080`, `[2001:db8::7]:5080`): see sip/trunk-address.ts.
        trunks: Type.Array(Type.String({ pattern: '^([0-9a-fA-F:.]+(/[0-9]{1,3})?|\\[[0-9a-fA-F:.]+\\](:[0-9]{1,5})?)$' })),
        // STUN/TURN servers for softphones behind NAT; none by default (rtpengine's ICE covers one office network).
        iceServers: Type.Array(IceServer),
        // Most live devices one person may register (issue 15); a REGISTER adding one more is refused with 403.
        maxBindingsPerPerson: Type.Integer({ minimum: 1, maximum: 50 }),
        // Office networks (CIDR) whose failed SIP logins never lock, blacklist or hold back the address (nor do the trunks').
        authExemptNetworks: Type.Array(Type.String({ minLength: 1 })),
        // The HMAC key of SIP digest nonces (sip/nonce-store.ts), the same on every process of a site; required in production.
        nonceSecret: Type.Union([Type.String({ minLength: 16 }), Type.Null()]),
      },
      { additionalProperties: false },
    ),
    recordings: Type.Object({ retentionDays: Type.Integer({ minimum: 1, maximum: 3650 }) }, { additionalProperties: false }),
    // Voicemail (issue 17): the longest message a caller may leave; its audio is kept like recordings.
    voicemail: Type.Object({ maxSeconds: Type.Integer({ minimum: 10, maximum: 600 }) }, { additionalProperties: false }),
    // On SIGTERM/SIGINT: how long calls in progress may go on before they are ended (new calls get 503 meanwhile).
    shutdown: Type.Object({ drainSeconds: Type.Integer({ minimum: 0, maximum: 3600 }) }, { additionalProperties: false }),
    // Limits no call outlives, whatever else fails: a caller waits at most maxWaitSeconds in queues (even with the ACD's
    // housekeeping gone), and a call lasts at most maxCallSeconds (a lost BYE must not keep an agent busy forever).
    calls: Type.Object(
      {
        maxWaitSeconds: Type.Integer({ minimum: 30, maximum: 86_400 }), maxCallSeconds: Type.Integer({ minimum: 60, maximum: 86_400 }),
        // Every leg of a live call is asked OPTIONS in its dialog this often; a leg that no longer knows the call ends it. 0: off.
        keepaliveSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
      },
      { additionalProperties: false },
    ),
    // Issue 16: new hotline calls refused at once (503 + Retry-After, sip/overload/admission.ts) so that the calls admitted
    // keep their media. 0 turns a limit off. ngLatencyMs stays under the ng command timeout (2 s), or calls time out first.
    overload: Type.Object(
      {
        maxLiveCalls: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
        ngLatencyMs: Type.Integer({ minimum: 0, maximum: 1500 }),
        eventLoopDelayMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
        maxCallsPerSecond: Type.Number({ minimum: 0, maximum: 100_000 }),
        retryAfterSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
      },
      { additionalProperties: false },
    ),
    demo: Type.Object({ seedOnFirstStart: Type.Boolean(), alwaysOpen: Type.Boolean({ default: false }) }, { additionalProperties: false }),
    // Reports cut their hours and days in this IANA zone unless a request names one (absent: UTC).
    reports: Type.Optional(Type.Object({ timeZone: Type.String({ minLength: 1, pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$' }) }, { additionalProperties: false })),
    // Where calls may go out through the trunk (issue 15, routing/outbound-policy.ts): prefixes are E.164 ("+" and digits);
    // the longest matching rule decides. International and premium-rate numbers are off unless opened here.
    outbound: Type.Object(
      {
        allowedPrefixes: Type.Array(Type.String({ pattern: '^\\+[0-9]{0,15}$' })),
        deniedPrefixes: Type.Array(Type.String({ pattern: '^\\+[0-9]{0,15}$' })),
        allowInternational: Type.Boolean(),
        allowPremium: Type.Boolean(),
        // Premium-rate ranges besides the built-in ones (BUILT_IN_PREMIUM_PREFIXES).
        premiumPrefixes: Type.Array(Type.String({ pattern: '^\\+[0-9]{1,15}$' })),
        // Short codes put through as dialled from a person's phone (never by a callback or a campaign).
        emergencyNumbers: Type.Array(Type.String({ pattern: '^[0-9]{2,6}$' })),
        // Outbound calls one person may have at once, across every process.
        maxCallsPerUser: Type.Integer({ minimum: 1, maximum: 100 }),
      },
      { additionalProperties: false },
    ),
    // Calling window and callback retries for campaigns and callbacks (issue 17, calling-rules-schema.ts).
    callingRules: Type.Optional(CallingRulesSchema),
    // Live call monitoring (issue 18): site policy. Absent keys take call-monitoring/monitoring-policy.ts's defaults.
    callMonitoring: Type.Optional(Type.Object(
      {
        // A supervisor assigned to no queue may monitor every queue's calls (how supervisors worked before assignments).
        unassignedSupervisorsSeeAllQueues: Type.Optional(Type.Boolean()),
        // 'tone': both parties hear a short tone when monitoring starts (a site's notice duty); 'none': nobody is told.
        announce: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('tone')])),
        // The quality role listens only, unless this lets it whisper to the agent too (never barge).
        qualityMayWhisper: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    )),
  },
  { additionalProperties: false },
);

export type AppConfig = Static<typeof ConfigSchema>;
