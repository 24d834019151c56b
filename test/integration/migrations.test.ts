import pg from 'pg';
import { runMigrations } from '../../src/db/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/test-env';

async function tableNames(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe('migrations (real Postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('go up to the full data model, down to nothing, and up again', async () => {
    await runMigrations(db.url, 'up');
    const up = await tableNames(db.url);
    for (const table of [
      'departments', 'staff', 'clients', 'client_phones', 'client_types', 'queues', 'queue_members',
      'ivr_flow_versions', 'routing_config_versions',
      'calls', 'call_events', 'recordings', 'wrap_ups', 'users', 'api_tokens', 'audit_log',
      'disposition_codes', 'not_ready_reasons',
    ]) {
      expect(up).toContain(table);
    }
    // Opening hours have one home, the routing config (issue 17): the queue schedules that nothing read are gone.
    for (const gone of ['schedules', 'schedule_hours', 'schedule_holidays']) expect(up).not.toContain(gone);

    await runMigrations(db.url, 'down', 99);
    expect(await tableNames(db.url)).toEqual(['pgmigrations']);

    await runMigrations(db.url, 'up');
    expect(await tableNames(db.url)).toEqual(up);
  });

  it('keeps the call timeline append-only and phone numbers in E.164', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query("insert into calls (id, caller_number, started_at) values ('00000000-0000-4000-8000-000000000001', '+74951234567', now())");
      await client.query("insert into call_events (call_id, seq, at, type) values ('00000000-0000-4000-8000-000000000001', 1, now(), 'started')");
      await expect(client.query("update call_events set type = 'x'")).rejects.toThrow(/append-only/);
      await client.query("insert into clients (name, type) values ('A', 'market')");
      await expect(client.query("insert into client_phones (client_id, e164) values (1, '8 495 123')")).rejects.toThrow(/check constraint/);
    } finally {
      await client.end();
    }
  });
});
