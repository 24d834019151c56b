import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MANAGERS } from '../../auth/roles';
import { inTransaction, type Db } from '../../db/pool';
import { recordAudit } from '../../db/repositories/audit-repository';
import {
  DORMANT_DEFAULTS, assignCampaignCalls, createDormantCampaign, getCampaign, listCampaigns, listDormantClients, setCampaignStatus,
} from '../../db/repositories/campaigns-repository';
import { actorOf } from '../auth-hook';
import { CampaignAssigned, CampaignCreated, CampaignDetail, CampaignStatusName, CampaignSummary, DormantList } from '../schemas/campaign-schemas';
import { ErrorBody, IdParams, NonEmpty, Id } from '../schemas/common-schemas';

const Months = Type.Integer({ minimum: 1, maximum: 120, default: DORMANT_DEFAULTS.months, description: 'months without an order' });
const ClientType = Type.String({ pattern: '^[a-z][a-z0-9_]*$', minLength: 1, maxLength: 64, default: DORMANT_DEFAULTS.clientType });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/**
 * Outbound campaigns to dormant clients (design §1 rule 10). Supervisors build
 * the list, share it among operators and follow progress; operators work it
 * from their assignments (`GET /api/me/assignments`, served elsewhere from the
 * same table).
 */
export function registerCampaignRoutes(fastify: FastifyInstance, db: Db): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/campaigns/dormant-clients', {
    config: { access: MANAGERS },
    schema: {
      tags: ['campaigns'],
      summary: 'Clients of a type with no order for N months (the later of the imported last-order date and the last call whose wrap-up took an order)',
      querystring: Type.Object({
        months: Type.Optional(Months),
        clientType: Type.Optional(ClientType),
      }, { additionalProperties: false }),
      response: { 200: DormantList, ...errors },
    },
    handler: async (request) => {
      // Both have defaults, which ajv fills in (useDefaults): the schema's Optional is for the caller.
      const { months = DORMANT_DEFAULTS.months, clientType = DORMANT_DEFAULTS.clientType } = request.query;
      const { cutoff, clients } = await listDormantClients(db, { months, clientType });
      return { months, clientType, cutoff, count: clients.length, clients };
    },
  });

  app.get('/api/campaigns', {
    config: { access: MANAGERS },
    schema: { tags: ['campaigns'], summary: 'Every campaign, newest first, with progress counts', response: { 200: Type.Array(CampaignSummary), ...errors } },
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
      response: { 201: CampaignCreated, ...errors },
    },
    handler: async (request, reply) => {
      const { name, months = DORMANT_DEFAULTS.months, clientType = DORMANT_DEFAULTS.clientType } = request.body;
      const body = { name, months, clientType };
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
    schema: { tags: ['campaigns'], summary: 'One campaign: progress by status and per operator, and its calls', params: IdParams, response: { 200: CampaignDetail, ...errors } },
    handler: async (request) => getCampaign(db, request.params.id),
  });

  app.post('/api/campaigns/:id/assign', {
    config: { access: MANAGERS },
    schema: {
      tags: ['campaigns'],
      summary: 'Share the pending, unassigned calls among these staff members in turn (round robin, longest idle client first)',
      params: IdParams,
      body: Type.Object({ staffIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
      response: { 200: CampaignAssigned, ...errors },
    },
    handler: async (request) => {
      const { id } = request.params;
      const { staffIds } = request.body;
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
      body: Type.Object({ status: CampaignStatusName }, { additionalProperties: false }),
      response: { 200: CampaignDetail, ...errors },
    },
    handler: async (request) => {
      const { id } = request.params;
      const { status } = request.body;
      const actor = actorOf(request);
      await inTransaction(db, async (client) => {
        const change = await setCampaignStatus(client, id, status);
        if (change.from !== change.to) await recordAudit(client, actor, { action: 'update', entity: 'campaign', entityId: id, before: { status: change.from }, after: { status: change.to } });
      });
      return getCampaign(db, id);
    },
  });
}
