import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type Redis from 'ioredis';
import type { Acd } from '../../acd';
import { ANY_USER } from '../../auth/roles';
import type { Db } from '../../db/pool';
import { findClientCard } from '../../db/repositories/client-card-repository';
import { loadDirectorySnapshot } from '../../db/repositories/directory-snapshot-repository';
import { queuesRepository } from '../../db/repositories/queues-repository';
import { findPhoneProfile } from '../../db/repositories/sip-login-repository';
import { AppError } from '../../errors/app-error';
import type { DirectoryDepartment, DirectoryStaff } from '../../routing/directory-snapshot';
import type { RegistrationStore } from '../../sip/registration-store';
import { SoftphoneSecrets } from '../../sip/softphone-credentials';
import { assertMaySeeCall, requireCallView } from '../live-call-view';
import { requireStaffId } from '../require-staff';
import { ErrorBody } from '../schemas/common-schemas';
import { SoftphoneConfig, TransferTargets } from '../schemas/softphone-schemas';

export interface SoftphoneRoutesOptions {
  db: Db;
  redis: Redis;
  acd?: Acd | undefined;
  registrations: RegistrationStore;
  /** The digest realm (config.sip.realm). */
  realm: string;
  /**
   * Where drachtio-server takes softphones: secure WebSocket when the site has
   * TLS (browsers on other PCs need HTTPS for the microphone, so WSS), else plain.
   */
  sipWebSocket: { scheme: 'wss' | 'ws'; port: number };
  /** STUN/TURN servers for softphones behind NAT (config.sip.iceServers). */
  iceServers: ReadonlyArray<{ urls: string; username?: string; credential?: string }>;
  /** False when this system runs with SIP off: the softphone then gets no server to register with. */
  sipEnabled: () => boolean;
}

/** What sip.js needs; timings chosen for a closed network (design §7: explicit ICE servers, short gathering). */
export const SOFTPHONE_SIP_DEFAULTS = { iceGatheringTimeoutMs: 500, registerExpiresSeconds: 300 } as const;
/** With a STUN/TURN server to ask, gathering takes a round trip or two beyond the office network. */
const ICE_GATHERING_WITH_SERVERS_MS = 2000;

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The host the browser reached us by (Host header without its port; IPv6 keeps its brackets). */
function requestHost(request: FastifyRequest): string {
  const host = request.headers.host ?? request.hostname;
  const bracketed = /^\[[^\]]+\]/.exec(host);
  if (bracketed) return bracketed[0];
  return host.replace(/:\d+$/, '');
}

/** The person behind a transfer shortcut as a target the transfer API takes, or null when the directory has none. */
function departmentTarget(departments: readonly DirectoryDepartment[], staff: readonly DirectoryStaff[], codes: readonly string[], role: string): { kind: 'department'; department: string; label: string } | null {
  const byCode = departments.find((d) => codes.includes(d.code));
  const byRole = byCode ?? departments.find((d) => staff.some((s) => s.active && s.role === role && s.departmentCode === d.code));
  return byRole ? { kind: 'department', department: byRole.code, label: byRole.name } : null;
}

/**
 * The softphone's start-up configuration and its transfer dialog.
 *
 * `GET /api/softphone/config` hands the browser a short-lived SIP secret
 * (softphone-credentials.ts) — never the person's permanent SIP password —
 * and everything sip.js needs to register over WebSocket with drachtio-server.
 * Calling it again gives a fresh secret (the page does so on every load and
 * before the secret's 12 h run out).
 */
export function registerSoftphoneRoutes(fastify: FastifyInstance, options: SoftphoneRoutesOptions): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, acd } = options;
  const secrets = new SoftphoneSecrets({ redis: options.redis });

  app.get('/api/softphone/config', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'Softphone configuration for the logged-in staff member, with a fresh short-lived SIP secret', response: { 200: SoftphoneConfig, ...errors } },
    handler: async (request) => {
      const staffId = requireStaffId(request);
      const profile = await findPhoneProfile(db, staffId);
      if (!profile || !profile.active) throw new AppError('NO_STAFF', `staff member ${staffId} does not exist or is inactive`);
      const staff = { id: profile.id, name: profile.name, role: profile.role, sipUsername: profile.sipUsername, departmentId: profile.departmentId, canDialOut: profile.canDialOut };
      let sip = null;
      if (profile.sipUsername) {
        // Bound to this session too: logging it out ends the secret (issue 15).
        const issued = await secrets.issue(profile.sipUsername, options.realm, request.sessionHash ?? undefined);
        sip = {
          uri: `sip:${profile.sipUsername}@${options.realm}`,
          authorizationUsername: profile.sipUsername,
          authorizationPassword: issued.password,
          authorizationExpiresAt: new Date(issued.expiresAt).toISOString(),
          realm: options.realm,
          displayName: profile.name,
          // The name the browser used for the page, so that a certificate valid for the page is valid for the socket too.
          wsServer: options.sipEnabled() ? `${options.sipWebSocket.scheme}://${requestHost(request)}:${options.sipWebSocket.port}` : null,
          iceServers: options.iceServers.map((server) => ({ ...server })),
          iceGatheringTimeoutMs: options.iceServers.length > 0 ? ICE_GATHERING_WITH_SERVERS_MS : SOFTPHONE_SIP_DEFAULTS.iceGatheringTimeoutMs,
          registerExpiresSeconds: SOFTPHONE_SIP_DEFAULTS.registerExpiresSeconds,
        };
      }
      return { staff, sip, wrapUpSeconds: profile.wrapUpSeconds, locale: 'en' };
    },
  });

  app.get('/api/transfer-targets', {
    config: { access: ANY_USER },
    schema: {
      tags: ['softphone'], summary: 'Where a call can be transferred: queues, people with their live state, and shortcuts',
      querystring: Type.Object({ callId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }),
      response: { 200: TransferTargets, ...errors },
    },
    handler: async (request) => {
      const { callId } = request.query;
      const me = request.user?.staffId ?? null;
      let clientId: number | null = null;
      if (callId) {
        const view = await requireCallView({ db, acd }, callId);
        assertMaySeeCall(request, view);
        const meta = view.acdEntries[0]?.meta;
        clientId = view.stored ? view.stored.clientId : typeof meta?.clientId === 'number' ? meta.clientId : null;
      }
      const [directory, queues, client] = await Promise.all([
        loadDirectorySnapshot(db),
        queuesRepository.list(db, {}, { limit: 10_000, offset: 0 }),
        clientId === null ? Promise.resolve(null) : findClientCard(db, clientId),
      ]);
      const departmentName = new Map(directory.departments.map((d) => [d.code, d.name]));
      const activeQueues = queues.filter((q) => q.active);
      const people = directory.staff.filter((s) => s.active && s.id !== me && s.role !== 'admin' && s.role !== 'supervisor');
      const [waiting, states, registered] = await Promise.all([
        Promise.all(activeQueues.map(async (q) => (acd ? (await acd.waitingCalls(q.name)).length : 0))),
        Promise.all(people.map(async (s) => (acd ? (await acd.getAgent(String(s.id)))?.state ?? 'logged_out' : 'logged_out'))),
        Promise.all(people.map(async (s) => (await options.registrations.contactsOf(s.id)).length > 0)),
      ]);
      return {
        queues: activeQueues.map((q, i) => ({ name: q.name, label: q.label, waiting: waiting[i] ?? 0 })),
        people: people.map((s, i) => ({
          staffId: s.id, name: s.name, role: s.role, department: s.departmentCode ? departmentName.get(s.departmentCode) ?? s.departmentCode : null,
          state: states[i] ?? 'logged_out', registered: registered[i] ?? false,
        })),
        shortcuts: {
          manager: client?.manager ? { staffId: client.manager.id, name: client.manager.name } : null,
          finance: departmentTarget(directory.departments, directory.staff, ['finance'], 'finance'),
          quality: departmentTarget(directory.departments, directory.staff, ['quality_control', 'quality'], 'quality'),
          secondLine: departmentTarget(directory.departments, directory.staff, ['second_line'], '-'),
        },
      };
    },
  });
}
