import iconv from 'iconv-lite';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

describe('client CSV import (real HTTP, Postgres)', () => {
  let h: ApiHarness;
  let managerId: number;
  beforeAll(async () => {
    h = await startApiHarness();
    const manager = await h.call('POST', '/api/staff', { token: h.tokens.admin, body: { fullName: 'Pavel Key', role: 'key_account_manager', sipUsername: 'pavel' } });
    managerId = manager.body.id;
  });
  afterAll(async () => {
    await h.close();
  });

  const clientCount = async (): Promise<number> => Number((await h.db.query('SELECT count(*) AS n FROM clients')).rows[0].n);
  const phoneCount = async (): Promise<number> => Number((await h.db.query('SELECT count(*) AS n FROM client_phones')).rows[0].n);

  it('keeps the good rows and reports each bad row by line, writing nothing of a bad row', async () => {
    await h.call('POST', '/api/clients', { token: h.tokens.admin, body: { name: 'Existing', type: 'market', phones: ['+7 495 555-00-00'] } });
    const before = { clients: await clientCount(), phones: await phoneCount() };
    const csv = [
      'name,type,phones,manager,region,language,overdue_debt,credit_limit,balance,last_order_at,notes',
      'Good Market,market,+7 (495) 111-22-33,,Moscow,ru,0,10000,500,2026-05-01,first',
      'Bad Type,alien,+7 495 111-22-34,,,,,,,,',
      '"Key, Ltd",key,8 495 1112235|+7 495 111-22-36,pavel,,en,"1 200,50",5000,0,01.02.2026,quoted comma',
      ',market,+7 495 111-22-37,,,,,,,,',
      'Dup In File,retail,+7 (495) 111-22-33,,,,,,,,',
      'Dup In Db,retail,"+7 495 111-22-38, 8 (495) 555-00-00",,,,,,,,',
      'No Phone,retail,,,,,,,,,',
      'Bad Amount,retail,+7 495 111-22-39,,,,lots,,,,',
      'Bad Date,retail,+7 495 111-22-40,,,,,,,31.02.2026,',
      'Unknown Manager,market,+7 495 111-22-41,Nobody Here,,,,,,,',
      'Good Regional,regional,0040 21 313 1234,,Cluj,ro,,,,,',
    ].join('\n');
    const result = await h.call('POST', '/api/clients/import', { token: h.tokens.supervisor, raw: csv });
    expect(result.status).toBe(200);
    expect(result.body.imported).toBe(3);
    expect(result.body.errors).toEqual([
      { line: 3, message: 'unknown client type "alien" (known: key, market, own_point, regional, retail)' },
      { line: 5, message: 'name is empty' },
      { line: 6, message: 'phone +74951112233 is already on line 2' },
      { line: 7, message: expect.stringMatching(/^phone \+74955550000 already belongs to client \d+ \(Existing\)$/) },
      { line: 8, message: 'no phone number' },
      { line: 9, message: 'overdueDebt "lots" is not a number' },
      { line: 10, message: 'last order date "31.02.2026" is not a date (YYYY-MM-DD or DD.MM.YYYY)' },
      { line: 11, message: 'unknown manager "Nobody Here" (give a staff id, SIP username or full name)' },
    ]);
    expect(result.body.failed).toBe(8);
    // Line 7's first phone was valid: the row's savepoint rolled it back with the rest of the row.
    expect(await clientCount()).toBe(before.clients + 3);
    expect(await phoneCount()).toBe(before.phones + 4);

    const key = await h.call('GET', `/api/clients?phone=${encodeURIComponent('+7 495 111-22-36')}`, { token: h.tokens.admin });
    expect(key.body[0]).toMatchObject({ name: 'Key, Ltd', type: 'key', managerId, language: 'en', overdueDebt: 1200.5, lastOrderAt: '2026-02-01', notes: 'quoted comma' });
    expect(key.body[0].phones.map((p: { number: string }) => p.number)).toEqual(['+74951112235', '+74951112236']);
    const dupInDbClient = await h.call('GET', '/api/clients?q=dup in db', { token: h.tokens.admin });
    expect(dupInDbClient.body).toEqual([]);

    const audit = await h.call('GET', '/api/audit?entity=client', { token: h.tokens.admin });
    expect(audit.body[0]).toMatchObject({ action: 'import', username: 'h_supervisor', after: { imported: 3, failed: 8 } });
  });

  it('does not give clients a manager who has left (an inactive staff member): the line says so (issue 15)', async () => {
    await h.call('POST', '/api/staff', { token: h.tokens.admin, body: { fullName: 'Left Company', role: 'key_account_manager', active: false } });
    const csv = ['name,type,phones,manager', 'Orphan Client,key,+7 495 333-44-55,Left Company'].join('\n');
    const result = await h.call('POST', '/api/clients/import', { token: h.tokens.supervisor, raw: csv });
    expect(result.body).toMatchObject({ imported: 0, failed: 1 });
    expect(result.body.errors).toEqual([{ line: 2, message: 'manager "Left Company" is inactive: give an active one' }]);
  });

  it('names the encoding problem for a Windows-1251 file and imports it when told the encoding', async () => {
    const csv = 'name;type;phones;region\nОптовик Иванов;market;+7 495 222-33-44;Тверь\n';
    const cp1251 = iconv.encode(csv, 'windows-1251');
    const refused = await h.call('POST', '/api/clients/import', { token: h.tokens.admin, raw: cp1251 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('BAD_CSV');
    expect(refused.body.error.message).toMatch(/not UTF-8.*encoding=windows-1251/);
    expect(await h.call('GET', `/api/clients?phone=${encodeURIComponent('+74952223344')}`, { token: h.tokens.admin }).then((r) => r.body)).toEqual([]);

    const accepted = await h.call('POST', '/api/clients/import?encoding=windows-1251', { token: h.tokens.admin, raw: cp1251 });
    expect(accepted.body).toMatchObject({ imported: 1, failed: 0 });
    const found = await h.call('GET', `/api/clients?phone=${encodeURIComponent('8 495 2223344')}`, { token: h.tokens.admin });
    expect(found.body[0]).toMatchObject({ name: 'Оптовик Иванов', region: 'Тверь' });
  });

  it('reads a UTF-8 file with a BOM and semicolons, as spreadsheet programs save it', async () => {
    const csv = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name;Type;Phone\nPiekarnia Nowak;retail;+48 22 765 43 21\n', 'utf8')]);
    const result = await h.call('POST', '/api/clients/import', { token: h.tokens.admin, raw: csv });
    expect(result.body).toMatchObject({ imported: 1, failed: 0 });
  });

  it('refuses files it cannot read at all, saying why, and writes nothing', async () => {
    const before = await clientCount();
    const empty = await h.call('POST', '/api/clients/import', { token: h.tokens.admin, raw: '' });
    expect(empty.status).toBe(400);
    const noHeader = await h.call('POST', '/api/clients/import', { token: h.tokens.admin, raw: 'title,kind\nA,market\n' });
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.message).toMatch(/lacks column\(s\): name, type, phones/);
    const brokenQuote = await h.call('POST', '/api/clients/import', { token: h.tokens.admin, raw: 'name,type,phones\n"Open quote,market,+7 495 333-44-55\n' });
    expect(brokenQuote.status).toBe(400);
    expect(brokenQuote.body.error.code).toBe('BAD_CSV');
    expect(await clientCount()).toBe(before);
  });

  it('a dry run reports the same errors and writes nothing', async () => {
    const before = await clientCount();
    const csv = 'name,type,phones\nDry One,market,+7 495 444-55-66\nDry Bad,alien,+7 495 444-55-67\n';
    const result = await h.call('POST', '/api/clients/import?dryRun=true', { token: h.tokens.admin, raw: csv });
    expect(result.body).toMatchObject({ imported: 1, failed: 1, clientIds: [] });
    expect(await clientCount()).toBe(before);
  });
});
