import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ManualClock } from '../../../src/acd/clock';
import { sipHa1 } from '../../../src/auth/sip-digest';
import { createPool, GENERAL_POOL, type Db } from '../../../src/db/pool';
import { createRootLogger, type Logger } from '../../../src/logger';
import { expectedDigestResponse } from '../../../src/sip/digest-auth';
import type { InboundRequest, OutboundResponse } from '../../../src/sip/srf-types';
import { createTestDatabase, startTestRedis, type TestDatabase } from '../../helpers/test-env';

export const REALM = 'switchboard.test';

/** A real redis-server and a database of its own for one test file; close() releases everything. */
export class SipTestKit {
  readonly clock = new ManualClock(Date.UTC(2025, 0, 6, 9, 0, 0));
  readonly logger: Logger = createRootLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  private readonly extraClients: Redis[] = [];

  private constructor(
    readonly redis: Redis,
    readonly redisPort: number,
    readonly db: Db,
    private readonly database: TestDatabase,
    private readonly redisServer: { stop(): Promise<void> },
  ) {}

  static async start(): Promise<SipTestKit> {
    const redisServer = await startTestRedis();
    const database = await createTestDatabase();
    const redis = new Redis({ host: '127.0.0.1', port: redisServer.port, maxRetriesPerRequest: 1 });
    const db = createPool(database.url, createRootLogger('silent'), { ...GENERAL_POOL, max: 4 });
    return new SipTestKit(redis, redisServer.port, db, database, redisServer);
  }

  connect(): Redis {
    const client = new Redis({ host: '127.0.0.1', port: this.redisPort, maxRetriesPerRequest: 1 });
    this.extraClients.push(client);
    return client;
  }

  /** A staff member with SIP credentials in this realm; returns its id. */
  async addStaff(username: string, password: string, options: { active?: boolean; realm?: string } = {}): Promise<number> {
    const realm = options.realm ?? REALM;
    const { rows } = await this.db.query<{ id: number }>(
      'INSERT INTO staff (full_name, role, sip_username, sip_ha1, sip_realm, active) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [`Staff ${username}`, 'operator', username, sipHa1(username, realm, password), realm, options.active ?? true],
    );
    return (rows[0] as { id: number }).id;
  }

  async close(): Promise<void> {
    try {
      for (const client of this.extraClients) client.disconnect();
      this.redis.disconnect();
      await this.db.end();
      await this.database.drop();
    } finally {
      await this.redisServer.stop();
    }
  }
}

/** A request shaped like drachtio-srf's, for driving the handler without drachtio-server. */
export function fakeRegister(headers: Record<string, string>, options: { uri?: string; ip?: string; port?: number; protocol?: string } = {}): InboundRequest {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: 'REGISTER',
    uri: options.uri ?? `sip:${REALM}`,
    source_address: options.ip ?? '192.0.2.10',
    source_port: options.port ?? 5060,
    protocol: options.protocol ?? 'udp',
    get: (name: string) => lower.get(name.toLowerCase()),
  };
}

export interface SentResponse {
  status: number;
  reason: string;
  headers: Record<string, string>;
}

/** A response recorder with drachtio-srf's "one final response" rule. */
export function fakeResponse(): OutboundResponse & { sent: SentResponse[] } {
  const sent: SentResponse[] = [];
  return {
    sent,
    get finalResponseSent() {
      return sent.length > 0;
    },
    send(status: number, reason: string, opts: { headers: Record<string, string> }) {
      if (sent.length > 0) throw new Error('a second final response');
      sent.push({ status, reason, headers: opts.headers });
    },
  };
}

/** The nonce of a WWW-Authenticate value. */
export function nonceOf(challenge: string | undefined): string {
  const match = /nonce="([^"]+)"/.exec(challenge ?? '');
  if (!match?.[1]) throw new Error(`no nonce in ${String(challenge)}`);
  return match[1];
}

/** What a UA sends back for a challenge (RFC 2617 §3.2.2, qop=auth). */
export function authorization(options: { username: string; password: string; nonce: string; uri: string; nc?: number; cnonce?: string; realm?: string }): string {
  const realm = options.realm ?? REALM;
  const ncHex = (options.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = options.cnonce ?? randomBytes(4).toString('hex');
  const response = expectedDigestResponse({ ha1: sipHa1(options.username, realm, options.password), method: 'REGISTER', uri: options.uri, nonce: options.nonce, ncHex, cnonce, qop: 'auth' });
  return `Digest username="${options.username}", realm="${realm}", nonce="${options.nonce}", uri="${options.uri}", response="${response}", algorithm=MD5, cnonce="${cnonce}", qop=auth, nc=${ncHex}`;
}

/**
 * A device's REGISTER as the registrar meets it: sent without credentials, the
 * 401 checked, then again with a digest of `password` for the challenge's
 * nonce. Returns the final answer.
 */
export async function registerWithDigest(
  registrar: { handle(req: InboundRequest, res: OutboundResponse): Promise<void> },
  register: { headers: Record<string, string>; user: string; password: string; realm: string; transport: { protocol: string; ip?: string; port?: number } },
): Promise<SentResponse> {
  const { headers, user, password, realm, transport } = register;
  const send = async (sent: Record<string, string>): Promise<SentResponse> => {
    const res = fakeResponse();
    await registrar.handle(fakeRegister(sent, { uri: `sip:${realm}`, ...transport }), res);
    return res.sent[0]!;
  };
  const challenge = await send(headers);
  if (challenge.status !== 401) throw new Error(`REGISTER without credentials got ${challenge.status}, not the 401 challenge`);
  return send({
    ...headers, CSeq: '2 REGISTER',
    Authorization: authorization({ username: user, password, nonce: nonceOf(challenge.headers['WWW-Authenticate']), uri: `sip:${realm}`, realm }),
  });
}
