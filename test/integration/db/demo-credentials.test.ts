import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { freeTcpPort } from '../../../src/platform/managed-process';
import { startSystem } from '../../../src/runtime/start-system';
import { hashPassword } from '../../../src/auth/password-hash';
import { sipHa1 } from '../../../src/auth/sip-digest';
import { demoCredentialsRefusal, findDemoCredentials } from '../../../src/db/demo-credentials';
import { DEMO_LOGINS, seedDemoData } from '../../../src/db/demo-seed';
import { createPool, type Db } from '../../../src/db/pool';
import { ensureReferenceData } from '../../../src/db/reference-data';
import { createRootLogger } from '../../../src/logger';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-env';

/**
 * Production refuses to start on a database that still has the demo accounts
 * open (issue 15): the check that start-system runs, against real Postgres
 * with the real demo data set.
 */
describe('demo accounts in a production database', () => {
  let database: TestDatabase;
  let db: Db;
  const realm = 'switchboard.test';

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPool(database.url, createRootLogger('silent'));
    await ensureReferenceData(db);
    await seedDemoData(db, { defaultCountry: 'RU', sipRealm: realm, logger: createRootLogger('silent') });
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('names every demo web login and SIP account still on the demo password, and what to do', async () => {
    const found = await findDemoCredentials(db);
    expect(found.webLogins).toEqual([...DEMO_LOGINS].sort());
    expect(found.sipUsernames).toEqual(expect.arrayContaining(['anna', 'olga', 'tatiana']));
    const refusal = demoCredentialsRefusal(found);
    expect(refusal).toMatch(/^production refuses to start: web logins .*anna.* and SIP accounts .*anna.* still have the demo password "demo-pass-1".*change their passwords or deactivate them/);
  });

  it('a production start on that database stops before any other service, with the refusal', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-prod-demo-'));
    try {
      const config = loadConfig({
        env: {
          NODE_ENV: 'production', LOG_LEVEL: 'silent', SWITCHBOARD_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(await freeTcpPort()),
          DATABASE_URL: database.url, ADMIN_PASSWORD: 'an-admin-password', DRACHTIO_SECRET: 'a-site-secret', REDIS_URL: 'redis://127.0.0.1:1',
          SIP_NONCE_SECRET: 'a-site-nonce-secret',
        },
      });
      await expect(startSystem(config, createRootLogger('silent'))).rejects.toThrow(/production refuses to start: web logins .*still have the demo password/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('lets a site start once each demo account has its own password or is deactivated', async () => {
    const own = await hashPassword('a-password-of-their-own');
    await db.query("UPDATE users SET password_hash = $1 WHERE username <> 'supervisor'", [own]);
    await db.query("UPDATE users SET active = false WHERE username = 'supervisor'");
    const left = await findDemoCredentials(db);
    expect(left.webLogins).toEqual([]);
    expect(demoCredentialsRefusal(left)).toMatch(/SIP accounts/);
    const { rows } = await db.query<{ id: number; sip_username: string }>('SELECT id, sip_username FROM staff WHERE sip_ha1 IS NOT NULL');
    for (const row of rows) await db.query('UPDATE staff SET sip_ha1 = $1 WHERE id = $2', [sipHa1(row.sip_username, realm, `own-${row.id}`), row.id]);
    expect(await findDemoCredentials(db)).toEqual({ webLogins: [], sipUsernames: [] });
    expect(demoCredentialsRefusal({ webLogins: [], sipUsernames: [] })).toBeNull();
  });
});
