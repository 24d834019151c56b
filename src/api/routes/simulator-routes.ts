import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type Redis from 'ioredis';
import { Type, type Static } from '@sinclair/typebox';
import { MANAGERS } from '../../auth/roles';
import { ivrFlowStore, routingConfigStore } from '../../db/config-stores';
import type { Db } from '../../db/pool';
import { findClientFactsByPhone } from '../../db/repositories/caller-facts-repository';
import { loadDirectorySnapshot } from '../../db/repositories/directory-snapshot-repository';
import { listPrompts } from '../../db/repositories/prompts-repository';
import { tryNormalisePhone } from '../../directory/phone-number';
import { AppError } from '../../errors/app-error';
import { SCRIPT_PATTERN, simulateCall } from '../../ivr/ivr-simulation';
import type { AvailabilitySnapshot } from '../../routing/availability-snapshot';
import type { DirectorySnapshot } from '../../routing/directory-snapshot';
import { unwrapValidation } from '../../routing/validation-result';
import { validateFlowForScope, validateRoutingAgainstDirectory } from '../../db/config-validation';
import { ErrorBody, Id } from '../schemas/common-schemas';
import { SimulationResult, SimulationStep } from '../schemas/config-schemas';

const Availability = Type.Object(
  {
    absentStaffIds: Type.Optional(Type.Array(Id, { description: 'logged out' })),
    busyStaffIds: Type.Optional(Type.Array(Id, { description: 'on a call' })),
    unstaffedQueues: Type.Optional(Type.Array(Type.String(), { description: 'no agent logged in' })),
  },
  { additionalProperties: false, description: 'who is there; by default every active person is available and every queue staffed' },
);

const CallSetup = {
  callerNumber: Type.String({ minLength: 1, maxLength: 100, description: 'as the trunk would send it, any format' }),
  flow: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', default: 'main' })),
  flowVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'default: the published version' })),
  routingVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'default: the published version' })),
  at: Type.Optional(Type.String({ format: 'date-time', description: 'when the call happens (business hours); default now' })),
  language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$' })),
  availability: Type.Optional(Availability),
};
const Script = Type.String({ pattern: SCRIPT_PATTERN.source, maxLength: 200, description: 'keys the caller presses: digits, * and #; "!" before a key = during the prompt; "t" = lets the timer run out; "h" = hangs up' });
const SimulateBody = Type.Object({ ...CallSetup, digits: Type.Optional(Script) }, { additionalProperties: false });
const SessionBody = Type.Object(CallSetup, { additionalProperties: false });
type Setup = Static<typeof SessionBody>;

/** Who is there for a simulated call: everyone active, unless the request says otherwise. */
export function simulatedAvailability(directory: DirectorySnapshot, overrides: Setup['availability']): AvailabilitySnapshot {
  const absent = new Set(overrides?.absentStaffIds ?? []);
  const busy = new Set(overrides?.busyStaffIds ?? []);
  const unstaffed = new Set(overrides?.unstaffedQueues ?? []);
  return {
    staff: directory.staff.filter((s) => s.active).map((s) => ({ staffId: s.id, presence: absent.has(s.id) ? 'logged_out' : busy.has(s.id) ? 'busy' : 'available' })),
    queues: directory.queues.map((queue) => (unstaffed.has(queue) ? { queue, agentsLoggedIn: 0, agentsAvailable: 0 } : { queue, agentsLoggedIn: 1, agentsAvailable: 1 })),
  };
}

interface PinnedSetup extends Setup {
  flow: string;
  flowVersion: number;
  routingVersion: number;
}

const SESSION_TTL_SECONDS = 3600;
const sessionKey = (id: string): string => `sb:ivr-simulation:${id}`;

/** Rough speaking time when a prompt's audio length is not known yet. */
const estimateSpeechMs = (text: string): number => Math.max(800, text.length * 65);

/**
 * POST /api/ivr/simulate runs a flow version against a caller number and a
 * key script and returns the path, the prompts and the routing decision.
 * Sessions (/api/ivr/simulations) do the same step by step, pinned to the
 * versions current when they started — exactly like a live call.
 */
export function registerSimulatorRoutes(fastify: FastifyInstance, db: Db, redis: Redis, defaultCountry: string): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  async function pin(setup: Setup): Promise<PinnedSetup> {
    const flow = setup.flow ?? 'main';
    const flowVersion = setup.flowVersion ?? (await ivrFlowStore.published(db, flow))?.version;
    if (flowVersion === undefined) throw new AppError('NOT_FOUND', `IVR flow "${flow}" has no published version: name flowVersion to test a draft`);
    const routingVersion = setup.routingVersion ?? (await routingConfigStore.published(db, null))?.version;
    if (routingVersion === undefined) throw new AppError('NOT_FOUND', 'no routing config is published: name routingVersion to test a draft');
    return { ...setup, flow, flowVersion, routingVersion, at: setup.at ?? new Date().toISOString() };
  }

  async function run(setup: PinnedSetup, script: string, pauseForInput: boolean): Promise<SimulationResult> {
    const flowVersion = await ivrFlowStore.get(db, setup.flow, setup.flowVersion);
    const routingVersion = await routingConfigStore.get(db, null, setup.routingVersion);
    const flow = unwrapValidation(`IVR flow "${setup.flow}" version ${setup.flowVersion}`, await validateFlowForScope(db, setup.flow, flowVersion.document));
    const config = unwrapValidation(`routing config version ${setup.routingVersion}`, await validateRoutingAgainstDirectory(db, routingVersion.document));
    const [directory, prompts] = await Promise.all([loadDirectorySnapshot(db), listPrompts(db)]);
    const e164 = tryNormalisePhone(setup.callerNumber, defaultCountry);
    const client = e164 ? await findClientFactsByPhone(db, e164) : null;
    const durations = new Map(prompts.map((p) => [`${p.language}:${p.id}`, p.durationMs ?? estimateSpeechMs(p.text)]));
    const result = simulateCall({
      flow,
      catalogue: prompts,
      context: { client, businessHours: config.businessHours, ...(setup.language ? { language: setup.language } : {}) },
      promptDurationMs: (id, language) => durations.get(`${language}:${id}`) ?? 2000,
      routing: { config, directory, availability: simulatedAvailability(directory, setup.availability) },
      call: { callerNumber: setup.callerNumber, dialledNumber: null },
      startAt: new Date(setup.at as string),
      script,
      pauseForInput,
    });
    return {
      flow: { name: setup.flow, version: setup.flowVersion },
      routing: { version: setup.routingVersion },
      caller: { number: setup.callerNumber, e164, client: client ? { id: client.id, name: client.name, type: client.type, managerId: client.managerId } : null },
      state: result.state,
      path: result.path,
      prompts: result.prompts,
      callbackRequested: result.callbackRequested,
      choice: result.route?.choice ?? null,
      decision: result.decision,
      usedScript: result.usedScript,
      elapsedMs: result.elapsedMs,
    };
  }

  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.post('/api/ivr/simulate', {
    config: { access: MANAGERS },
    schema: { tags: ['ivr'], summary: 'Run a whole simulated call: path, prompts played and the routing decision with its reason', body: SimulateBody, response: { 200: SimulationResult, ...errors } },
    handler: async (request) => {
      const body = request.body;
      return run(await pin(body), body.digits ?? '', false);
    },
  });

  app.post('/api/ivr/simulations', {
    config: { access: MANAGERS },
    schema: { tags: ['ivr'], summary: 'Start an interactive simulated call, pinned to the current versions; it pauses when it waits for keys', body: SessionBody, response: { 201: SimulationStep, ...errors } },
    handler: async (request, reply) => {
      const setup = await pin(request.body);
      const id = randomUUID();
      await redis.set(sessionKey(id), JSON.stringify({ setup, script: '' }), 'EX', SESSION_TTL_SECONDS);
      return reply.code(201).send({ id, ...(await run(setup, '', true)) });
    },
  });

  app.post('/api/ivr/simulations/:id/input', {
    config: { access: MANAGERS },
    schema: {
      tags: ['ivr'], summary: 'Press keys in an interactive simulated call ("t" = silence until the timer runs out)',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      body: Type.Object({ digits: Script }, { additionalProperties: false }),
      response: { 200: SimulationStep, ...errors },
    },
    handler: async (request) => {
      const { id } = request.params;
      const stored = await redis.get(sessionKey(id));
      if (!stored) throw new AppError('NOT_FOUND', `simulation ${id} does not exist or has expired`);
      const session = JSON.parse(stored) as { setup: PinnedSetup; script: string };
      const script = session.script + request.body.digits;
      const result = await run(session.setup, script, true);
      await redis.set(sessionKey(id), JSON.stringify({ setup: session.setup, script }), 'EX', SESSION_TTL_SECONDS);
      return { id, ...result };
    },
  });
}
