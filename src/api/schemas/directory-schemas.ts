import { Type, type Static } from '@sinclair/typebox';
import { Code } from './common-schemas';

/*
 * The directory's answers that are not records (those are the directory's
 * own: src/directory/directory-records.ts): code lists and the CSV import report.
 */

/** One entry of a code list (`/api/client-types`, `/api/disposition-codes`, `/api/not-ready-reasons`). */
export const LookupEntry = Type.Object({ code: Code, label: Type.String(), builtIn: Type.Optional(Type.Boolean()), active: Type.Optional(Type.Boolean()) });
export type LookupEntry = Static<typeof LookupEntry>;

/** `POST /api/clients/import`: good rows written, bad rows reported by line. */
export const ImportReport = Type.Object({
  imported: Type.Integer(), failed: Type.Integer(), clientIds: Type.Array(Type.Integer()),
  errors: Type.Array(Type.Object({ line: Type.Optional(Type.Integer()), message: Type.String() })),
});
export type ImportReport = Static<typeof ImportReport>;
