import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { MANAGERS } from '../../auth/roles';
import type { CampaignStatus } from '../../campaigns/campaign-status';
import { inTransaction, type Db } from '../../db/pool';
import { recordAudit } from '../../db/repositories/audit-repository';
import {
  DORMANT_DEFAULTS, assignCampaignCalls, createDormantCampaign, getCampaign, listCampaigns, listDormantClients, setCampaignStatus,
} from '../../db/repositories/campaigns-repository';
import { actorOf } from '../auth-hook';
import { ErrorBody, IdParams, NonEmpty } from '../schemas/common-schemas';

const Months = Type.Integer({ minimum: 1, maximum: 120, default: DORMANT_DEFAULTS.months, description: 'months without an order' });
const ClientType = Type.String({ pattern: '^[a-z][a-z0-9_]*$', minLength: 1, maxLength: 64, default: DORMANT_DEFAULTS.clientType });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/**
 * Outbound campaigns to dormant clients (design §1 rule 10). Supervisors build
 * the list, share it among operators and follow progress; operators work it
 * from their assignments (`GET /api/me/assignments`, served elsewhere from the
 * same table).
 */
export function registerCampaignRoutes(app: FastifyInstance, db: Db): void {
  app.get('/api/campaigns/dormant-clients', {
    config: { access: MANAGERS },
    schema: {
      tags: ['campaigns'],
      summary: 'Clients of a type with no order for N months (the later of the imported last-order date and the last call whose wrap-up took an order)',
      querystring: Type.Object({
        months: Type.Optional(Months),
        clientType: Type.Optional(ClientType),
      }, { additionalProperties: false }),
      response: errors,
    },
    handler: async (request) => {
      const { months, clientType } = request.query as { months: number; clientType: string };
      const { cutoff, clients } = await listDormantClients(db, { months, clientType });
      return { months, clientType, cutoff, count: clients.length, clients };
    },
  });

  app.get('/api/campaigns', {
    config: { access: MANAGERS },
    schema: { tags: ['campaigns'], summary: 'Every campaign, newest first, with progress counts', response: errors },
    handler: async () => listCampaigns(db),
  });

  app.post('/api/campaigns', {
    config: { access: MANAGERS },
    schema: {
      tags: ['campaigns'],
      summary: 'Create a draft campaign from today\'s dormant list (clients already on an open campaign are left out)',
      body: Type.Object({
        name: NonEmpty(200),
        months: Type.Optional(Months),
        clientType: Type.Optional(ClientType),
      }, { additionalProperties: false }),
      response: { 201: Type.Unknown({ description: 'the campaign as GET /api/campaigns/:id returns it, plus alreadyInOpenCampaigns' }), ...errors },
    },
    handler: async (request, reply) => {
      const body = request.body as { name: string; months: number; clientType: string };
      const actor = actorOf(request);
      const created = await inTransaction(db, async (client) => {
        const made = await createDormantCampaign(client, { ...body, createdBy: actor.username });
        await recordAudit(client, actor, { action: 'create', entity: 'campaign', entityId: made.id, after: { ...body, listed: made.listed } });
        return made;
      });
      const campaign = await getCampaign(db, created.id);
      return reply.code(201).send({ ...campaign, alreadyInOpenCampaigns: created.alreadyInOpenCampaigns });
    },
  });

  app.get('/api/campaigns/:id', {
    config: { access: MANAGERS },
    schema: { tags: ['campaigns'], summary: 'One campaign: progress by status and per operator, and its calls', params: IdParams, response: errors },
    handler: async (request) => getCampaign(db, (request.params as { id: number }).id),
  });

  app.post('/api/campaigns/:id/assign', {
    config: { access: MANAGERS },
    schema: {
      tags: ['campaigns'],
      summary: 'Share the pending, unassigned calls among these staff members in turn (round robin, longest idle client first)',
      params: IdParams,
      body: Type.Object({ staffIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
      response: errors,
    },
    handler: async (request) => {
      const { id } = request.params as { id: number };
      const { staffIds } = request.body as { staffIds: number[] };
      const actor = actorOf(request);
      const outcome = await inTransaction(db, async (client) => {
        const assigned = await assignCampaignCalls(client, id, staffIds);
        if (assigned.assigned > 0) await recordAudit(client, actor, { action: 'update', entity: 'campaign', entityId: id, after: { assign: assigned } });
        return assigned;
      });
      return { ...outcome, campaign: await getCampaign(db, id) };
    },
  });

  app.patch('/api/campaigns/:id', {
    config: { access: MANAGERS },
    schema: {
      tags: ['campaigns'],
      summary: 'Change the status: draft → active (operators see its calls) → done; active → draft pauses it',
      params: IdParams,
      body: Type.Object({ status: Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('done')]) }, { additionalProperties: false }),
      response: errors,
    },
    handler: async (request) => {
      const { id } = request.params as { id: number };
      const { status } = request.body as { status: CampaignStatus };
      const actor = actorOf(request);
      await inTransaction(db, async (client) => {
        const change = await setCampaignStatus(client, id, status);
        if (change.from !== change.to) await recordAudit(client, actor, { action: 'update', entity: 'campaign', entityId: id, before: { status: change.from }, after: { status: change.to } });
      });
      return getCampaign(db, id);
    },
  });
}
