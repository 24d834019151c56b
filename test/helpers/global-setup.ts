import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startPostgresServer } from '../../src/db/postgres-server';
import { runMigrations } from '../../src/db/migrate';
import { freeTcpPort } from '../../src/platform/managed-process';
import { TEMPLATE_DB, STATE_FILE_ENV } from './test-env';
import { buildWebApps } from '../../scripts/build-web';
import { prepareTestTls } from './test-tls';

/**
 * One Postgres cluster for the whole run (a real server, fresh data directory,
 * random port). Migrations run once into a template database; every test file
 * clones its own database from it, so files never see each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  // Browser tests load the bundled apps from dist/web; building them takes well under a second.
  await buildWebApps({ quiet: true, production: false });
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-'));
  // As root, Postgres runs as another account that must be able to reach its data directory.
  chmodSync(root, 0o755);
  await prepareTestTls(root);
  const port = await freeTcpPort();
  const server = await startPostgresServer({ dataDir: path.join(root, 'pg'), port, fast: true });
  const adminUrl = server.url;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await runMigrations(adminUrl.replace(/\/postgres$/, `/${TEMPLATE_DB}`), 'up');
  const stateFile = path.join(root, 'state.json');
  writeFileSync(stateFile, JSON.stringify({ root, adminUrl }));
  process.env[STATE_FILE_ENV] = stateFile;
  process.env.SWITCHBOARD_TEST_PG_ADMIN_URL = adminUrl;
  // Each project (integration, e2e) runs this once; teardown stops them all.
  const holder = globalThis as { __switchboardPostgres?: Array<typeof server> };
  holder.__switchboardPostgres = [...(holder.__switchboardPostgres ?? []), server];
}
