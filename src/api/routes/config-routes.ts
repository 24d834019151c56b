import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MANAGERS } from '../../auth/roles';
import { ivrFlowStore, routingConfigStore } from '../../db/config-stores';
import type { Db } from '../../db/pool';
import type { ConfigPublishedFeed } from '../../db/published-config-cache';
import { listPrompts } from '../../db/repositories/prompts-repository';
import { validateFlowForScope, validateRoutingAgainstDirectory } from '../../db/config-validation';
import { IvrFlowEntry, Prompt } from '../schemas/config-schemas';
import { registerVersionedConfigRoutes } from './versioned-config-routes';

const FlowParams = Type.Object({ flow: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }) });

/** Routing config and IVR flows (versioned), and the prompt catalogue. */
export function registerConfigRoutes(fastify: FastifyInstance, db: Db, feed: ConfigPublishedFeed): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  registerVersionedConfigRoutes(app, db, {
    basePath: '/api/routing-config', tag: 'routing', what: 'routing config', store: routingConfigStore,
    scopeOf: () => null,
    validate: (q, document) => validateRoutingAgainstDirectory(q, document),
    onPublished: (scope) => feed.publish({ table: routingConfigStore.spec.table, scope }),
  });
  registerVersionedConfigRoutes(app, db, {
    basePath: '/api/ivr/flows/:flow', tag: 'ivr', what: 'IVR flow', store: ivrFlowStore, paramsSchema: FlowParams,
    scopeOf: (params) => params.flow ?? 'main',
    validate: (q, document, scope) => validateFlowForScope(q, scope ?? 'main', document),
    onPublished: (scope) => feed.publish({ table: ivrFlowStore.spec.table, scope }),
  });

  app.get('/api/ivr/flows', {
    config: { access: MANAGERS },
    schema: { tags: ['ivr'], summary: 'IVR flows with their published version', response: { 200: Type.Array(IvrFlowEntry) } },
    handler: async () => {
      const names = await ivrFlowStore.scopes(db);
      return Promise.all(names.map(async (name) => {
        const versions = await ivrFlowStore.list(db, name);
        return { name, publishedVersion: versions.find((v) => v.status === 'published')?.version ?? null, latestVersion: versions[0]?.version ?? 0 };
      }));
    },
  });

  app.get('/api/prompts', {
    config: { access: MANAGERS },
    schema: {
      tags: ['ivr'], summary: 'The prompt catalogue: every prompt in every language',
      response: { 200: Type.Array(Prompt) },
    },
    handler: async () => listPrompts(db),
  });
}
