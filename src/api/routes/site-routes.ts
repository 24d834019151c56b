import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CA_DOWNLOAD_PATH, CA_FILE_NAME, trustInstructions } from '../../tls/trust-instructions';
import { AppError } from '../../errors/app-error';
import { ErrorBody, FileBody, TextBody } from '../schemas/common-schemas';

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The site's local certificate authority for operators' PCs to trust: the
 * file at a stable URL, and a page saying how, with the fingerprint to
 * compare. Both are public: a PC needs them before it can log in.
 */
export function registerSiteRoutes(fastify: FastifyInstance, options: { ca: { pem: Buffer; fingerprint: string } | null }): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { ca } = options;
  const noCa = (): AppError => new AppError('NOT_FOUND', 'this site uses a certificate from a public or company CA; there is no local CA to trust');

  app.get(CA_DOWNLOAD_PATH, {
    config: { access: 'public' },
    schema: { tags: ['health'], summary: 'The site\'s local certificate authority (PEM), for PCs to trust', response: { 200: FileBody('the CA certificate (PEM)'), 404: ErrorBody } },
    handler: (_request, reply) => {
      if (!ca) throw noCa();
      return reply
        .type('application/x-x509-ca-cert')
        .header('content-disposition', `attachment; filename="${CA_FILE_NAME}"`)
        .header('cache-control', 'no-cache')
        .send(ca.pem);
    },
  });

  app.get('/ca', {
    config: { access: 'public' },
    schema: { tags: ['health'], summary: 'How to trust the site\'s local certificate authority', response: { 200: TextBody('an HTML page'), 404: ErrorBody } },
    handler: (_request, reply) => {
      if (!ca) throw noCa();
      const rows = trustInstructions().map((t) => `<tr><th>${html(t.system)}</th><td><code>${html(t.how)}</code></td></tr>`).join('');
      return reply.type('text/html; charset=utf-8').send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trust Switchboard</title></head><body>` +
        `<h1>Trust this Switchboard site</h1><p>Download <a href="${CA_DOWNLOAD_PATH}" download="${CA_FILE_NAME}">${CA_FILE_NAME}</a>, check its SHA-256 fingerprint ` +
        `<code>${html(ca.fingerprint)}</code> against the one the server printed at start, then add it as a trusted authority:</p>` +
        `<table>${rows}</table><p>Restart the browser, then open the softphone.</p></body></html>`,
      );
    },
  });
}
