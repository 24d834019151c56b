import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ANY_USER, isCallWorkerRole, type CallWorkerRole } from '../../auth/roles';
import { routingConfigStore } from '../../db/config-stores';
import { inTransaction, type Db } from '../../db/pool';
import { recordAudit } from '../../db/repositories/audit-repository';
import {
  assignFirstManager, findClientForAssignment, listDepartmentHeads, listDepartmentMembers, listUnassignedClients, type DepartmentHead,
} from '../../db/repositories/new-clients-repository';
import { insertStaffNotifications, listMyClientsOrders, listStaffNotifications, markStaffNotificationRead } from '../../db/repositories/staff-notifications-repository';
import {
  assignmentRecipients, departmentOfNewClient, isAssignableManager, mayAssignManager, newClientHeadSpec, type NewClientHeadSpec,
} from '../../directory/new-client-assignment';
import { AppError } from '../../errors/app-error';
import { DEFAULT_ROUTING_CONFIG } from '../../routing/default-routing-config';
import { actorOf } from '../auth-hook';
import { requireStaffId } from '../require-staff';
import { ErrorBody, IdParams } from '../schemas/common-schemas';
import { AssignManagerBody, ClientOrderView, ManagerAssigned, NewClientsList, StaffNotificationView } from '../schemas/seed-workflow-schemas';
import type { StaffNotificationFeed } from '../staff-notification-feed';

export interface SeedWorkflowRoutesOptions {
  db: Db;
  /** Live delivery to the manager's softphone; without it notifications are only listed. */
  notifications?: StaffNotificationFeed | undefined;
  /** Announces a client's new manager so that routing caches everywhere route to them. */
  onClientsChanged: (e164s: string[] | null) => Promise<void>;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The step routing sends clients without a manager to: the published config's, else the seed's. */
async function headSpec(db: Db): Promise<NewClientHeadSpec> {
  const published = await routingConfigStore.published(db, null);
  const spec = (published ? newClientHeadSpec(published.document) : null) ?? newClientHeadSpec(DEFAULT_ROUTING_CONFIG);
  if (!spec) throw new Error('unreachable: the seed routing sends clients without a manager to a head');
  return spec;
}

function actorFor(request: FastifyRequest): { role: CallWorkerRole; staffId: number | null } {
  const user = request.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
  // The routes are open to ANY_USER only; the auth hook has refused every other role.
  if (!isCallWorkerRole(user.role)) throw new AppError('FORBIDDEN', `role ${user.role} has no seed workflows`);
  return { role: user.role, staffId: user.staffId };
}

/**
 * The seed workflows of issue 17 point 8 (DESIGN.md §1 rules 1 and 6):
 * a department head's list of clients without a manager, with the assignment
 * (only that department's head, or an admin; the manager is told), and a
 * manager's notifications and their clients' orders.
 */
export function registerSeedWorkflowRoutes(fastify: FastifyInstance, options: SeedWorkflowRoutesOptions): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = options;

  app.get('/api/head/new-clients', {
    config: { access: ANY_USER },
    schema: {
      tags: ['softphone'], summary: 'Clients without a manager in the departments I head (an admin: all), with the managers each may be given to',
      response: { 200: NewClientsList, ...errors },
    },
    handler: async (request) => {
      const actor = actorFor(request);
      const departments = await listDepartmentHeads(db);
      const mine = departments.filter((d) => mayAssignManager(actor, d));
      if (mine.length === 0) throw new AppError('FORBIDDEN', 'only a department head (or an admin) assigns managers to new clients');
      const [spec, clients, members] = await Promise.all([headSpec(db), listUnassignedClients(db), listDepartmentMembers(db, mine.map((d) => d.id))]);
      const byCode = new Map<string, DepartmentHead>(mine.map((d) => [d.code, d]));
      const listed = clients.flatMap((c) => {
        const department = byCode.get(departmentOfNewClient(c, spec));
        return department ? [{ ...c, department: { id: department.id, code: department.code, name: department.name } }] : [];
      });
      const managers = Object.fromEntries(mine.map((d) => [d.code, members
        .filter((m) => isAssignableManager(m, d.id))
        .map((m) => ({ staffId: m.id, name: m.name, role: m.role }))]));
      return { clients: listed, managers };
    },
  });

  app.post('/api/head/new-clients/:id/manager', {
    config: { access: ANY_USER },
    schema: {
      tags: ['softphone'], summary: 'Assign a manager to a client without one (the head of the client\'s department, or an admin); the manager is notified',
      params: IdParams, body: AssignManagerBody, response: { 200: ManagerAssigned, ...errors },
    },
    handler: async (request) => {
      const actor = actorFor(request);
      const { id } = request.params;
      const { managerId } = request.body;
      const [client, departments, spec] = await Promise.all([findClientForAssignment(db, id), listDepartmentHeads(db), headSpec(db)]);
      if (!client) throw new AppError('NOT_FOUND', `client ${id} does not exist`);
      const code = departmentOfNewClient(client, spec);
      const department = departments.find((d) => d.code === code);
      if (!department) throw new AppError('CONFLICT', `client ${id} belongs to department ${code}, which does not exist`);
      if (!mayAssignManager(actor, department)) throw new AppError('FORBIDDEN', `only the head of ${department.name} (or an admin) assigns this client's manager`);
      if (client.managerId !== null) throw new AppError('CONFLICT', `client ${id} already has a manager`);
      const manager = (await listDepartmentMembers(db, [department.id])).find((m) => m.id === managerId);
      if (!manager || !isAssignableManager(manager, department.id)) {
        throw new AppError('VALIDATION_FAILED', `staff member ${managerId} is not an active manager of ${department.name}`, [{ path: 'body/managerId', message: 'not a manager of the client\'s department' }]);
      }
      const outcome = await inTransaction(db, async (tx) => {
        const assigned = await assignFirstManager(tx, id, managerId);
        if (!assigned.assigned) return { ...assigned, notifications: [] };
        await recordAudit(tx, actorOf(request), { action: 'update', entity: 'client', entityId: id, before: { managerId: null }, after: { managerId } });
        const notifications = await insertStaffNotifications(tx, assignmentRecipients({ managerId, assignedByStaffId: actor.staffId }), {
          kind: 'client_assigned', clientId: id, callId: null, actorStaffId: actor.staffId, text: `New client ${client.name} is yours`,
        });
        return { ...assigned, notifications };
      });
      if (!outcome.assigned) throw new AppError('CONFLICT', `client ${id} already has a manager`);
      await options.notifications?.publish(outcome.notifications);
      await options.onClientsChanged(outcome.e164s);
      return { clientId: id, managerId, managerName: manager.name, notified: outcome.notifications.map((n) => n.staffId) };
    },
  });

  app.get('/api/me/notifications', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'My notifications (clients assigned to me, orders from my clients), newest first', response: { 200: Type.Array(StaffNotificationView), ...errors } },
    handler: async (request) => listStaffNotifications(db, requireStaffId(request)),
  });

  app.post('/api/me/notifications/:id/read', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'Mark one of my notifications read', params: IdParams, response: { 200: Type.Object({ id: Type.Integer(), read: Type.Boolean() }), ...errors } },
    handler: async (request) => {
      const { id } = request.params;
      if (!(await markStaffNotificationRead(db, requireStaffId(request), id))) throw new AppError('NOT_FOUND', `notification ${id} is not yours or does not exist`);
      return { id, read: true };
    },
  });

  app.get('/api/me/client-orders', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'Orders taken on calls from the clients I manage, newest first', response: { 200: Type.Array(ClientOrderView), ...errors } },
    handler: async (request) => listMyClientsOrders(db, requireStaffId(request)),
  });
}
