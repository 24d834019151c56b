import type { CsvClientRow } from '../../directory/client-csv';
import { AppError, type ErrorDetail } from '../../errors/app-error';
import { inTransaction, type Db } from '../pool';
import { recordAudit, type Actor } from './audit-repository';
import { lockDirectoryReferences } from './directory-references-repository';
import { createClientsRepository } from './clients-repository';

export interface ImportResult {
  imported: number;
  failed: number;
  clientIds: number[];
  errors: ErrorDetail[];
}

/**
 * Writes the good rows of a parsed client CSV. Each row is its own savepoint:
 * a row that fails (unknown type, unknown manager, phone owned by another
 * client) is reported by line and leaves nothing behind; the others are kept.
 */
export async function importClients(db: Db, rows: CsvClientRow[], parseErrors: ErrorDetail[], actor: Actor, defaultCountry: string, dryRun: boolean): Promise<ImportResult> {
  const repository = createClientsRepository(defaultCountry);
  return inTransaction(db, async (client) => {
    // Managers are checked against who is active, and no deactivation may slip in before this commits (issue 15).
    await lockDirectoryReferences(client, 'shared');
    const types = new Set((await client.query<{ code: string }>('SELECT code FROM client_types')).rows.map((r) => r.code));
    const staff = (await client.query<{ id: number; full_name: string; sip_username: string | null; active: boolean }>('SELECT id, full_name, sip_username, active FROM staff')).rows;
    const findManager = (text: string): { id: number; active: boolean } | null => {
      const lowered = text.toLowerCase();
      return staff.find((s) => String(s.id) === text || s.sip_username?.toLowerCase() === lowered || s.full_name.toLowerCase() === lowered) ?? null;
    };

    const errors = [...parseErrors];
    const clientIds: number[] = [];
    for (const row of rows) {
      if (!types.has(row.type)) {
        errors.push({ line: row.line, message: `unknown client type "${row.type}" (known: ${[...types].sort().join(', ')})` });
        continue;
      }
      const manager = row.manager === null ? null : findManager(row.manager);
      if (row.manager !== null && manager === null) {
        errors.push({ line: row.line, message: `unknown manager "${row.manager}" (give a staff id, SIP username or full name)` });
        continue;
      }
      if (manager && !manager.active) {
        errors.push({ line: row.line, message: `manager "${row.manager ?? ''}" is inactive: give an active one` });
        continue;
      }
      const managerId = manager?.id ?? null;
      await client.query('SAVEPOINT import_row');
      try {
        const created = await repository.create(client, {
          name: row.name, type: row.type, managerId, region: row.region, phones: row.phones,
          ...(row.language ? { language: row.language } : {}),
          ...(row.overdueDebt !== null ? { overdueDebt: row.overdueDebt } : {}),
          ...(row.creditLimit !== null ? { creditLimit: row.creditLimit } : {}),
          ...(row.balance !== null ? { balance: row.balance } : {}),
          lastOrderAt: row.lastOrderAt,
          ...(row.notes !== null ? { notes: row.notes } : {}),
        });
        await client.query('RELEASE SAVEPOINT import_row');
        clientIds.push(created.id);
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT import_row');
        errors.push({ line: row.line, message: err instanceof AppError ? err.message : `rejected: ${(err as Error).message}` });
      }
    }
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const result = { imported: clientIds.length, failed: errors.length, clientIds, errors };
    if (dryRun) {
      // Validate everything against the real tables, then leave no trace.
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      return { ...result, clientIds: [] };
    }
    await recordAudit(client, actor, { action: 'import', entity: 'client', entityId: null, after: { imported: result.imported, failed: result.failed, clientIds } });
    return result;
  });
}
