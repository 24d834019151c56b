import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { projectRoot } from '../platform/project-root';
import { WEB_APPS, WEB_OUTPUT_DIR } from './web-apps';

/**
 * Serves the bundled browser apps (softphone, admin) as static files under
 * /<app>/, public like any web page: the apps themselves log in through the API.
 * File names are not content-hashed, so browsers revalidate every load (ETag).
 */
export async function registerWebRoutes(app: FastifyInstance, options: { webDir?: string } = {}): Promise<void> {
  const webDir = options.webDir ?? path.join(projectRoot(), WEB_OUTPUT_DIR);
  const prefixes = WEB_APPS.map((a) => `/${a.name}`);
  app.addHook('onRoute', (route) => {
    if (prefixes.some((p) => route.url === p || route.url.startsWith(`${p}/`)) || route.url === '/') {
      route.config = { ...(route.config ?? {}), access: 'public' };
    }
  });

  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/softphone/'));

  let first = true;
  for (const web of WEB_APPS) {
    const root = path.join(webDir, web.name);
    if (!existsSync(path.join(root, 'index.html'))) {
      app.get(`/${web.name}/*`, { schema: { hide: true } }, (_request, reply) =>
        reply.code(503).type('text/plain').send(`The ${web.name} web app is not built: run \`npm run build:web\` (npm start does it).`),
      );
      continue;
    }
    await app.register(fastifyStatic, {
      root,
      prefix: `/${web.name}/`,
      decorateReply: first,
      cacheControl: false,
      etag: true,
      setHeaders: (res) => {
        res.setHeader('cache-control', 'no-cache');
        res.setHeader('x-content-type-options', 'nosniff');
      },
    });
    first = false;
  }
}
