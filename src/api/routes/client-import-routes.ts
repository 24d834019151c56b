import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MANAGERS } from '../../auth/roles';
import type { Db } from '../../db/pool';
import { importClients } from '../../db/repositories/client-import';
import { SUPPORTED_ENCODINGS, decodeCsv, parseClientCsv } from '../../directory/client-csv';
import { actorOf } from '../auth-hook';
import { ErrorBody } from '../schemas/common-schemas';
import { ImportReport } from '../schemas/directory-schemas';

export function registerClientImportRoutes(fastify: FastifyInstance, options: { db: Db; defaultCountry: string; onClientsChanged: (e164s: string[] | null) => Promise<void> }): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  for (const type of ['text/csv', 'application/csv', 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  }

  app.post('/api/clients/import', {
    config: { access: MANAGERS },
    schema: {
      tags: ['directory'],
      summary: 'Import clients from CSV (header: name,type,phones,manager,region,language,overdue_debt,credit_limit,balance,last_order_at,notes)',
      description: 'Good rows are written, bad rows are reported by line; a row is never half-written. Phones in one cell are separated by | , or ;.',
      querystring: Type.Object({
        encoding: Type.Optional(Type.Union(SUPPORTED_ENCODINGS.map((e) => Type.Literal(e)))),
        dryRun: Type.Optional(Type.Boolean({ default: false })),
      }),
      response: {
        200: ImportReport,
        400: ErrorBody, 401: ErrorBody, 403: ErrorBody,
      },
    },
    handler: async (request) => {
      const { encoding, dryRun = false } = request.query;
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.from(typeof request.body === 'string' ? request.body : '', 'utf8');
      const parsed = parseClientCsv(decodeCsv(bytes, encoding), options.defaultCountry);
      const result = await importClients(options.db, parsed.rows, parsed.errors, actorOf(request), options.defaultCountry, dryRun);
      if (result.imported > 0 && !dryRun) await options.onClientsChanged(parsed.rows.flatMap((r) => r.phones));
      return result;
    },
  });
}
