import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Gauge } from 'prom-client';
import type { ApiContext, ComponentStatus } from '../api-context';
import { ErrorBody, TextBody } from '../schemas/common-schemas';
import { AppError } from '../../errors/app-error';
import { monitoringAccess } from '../../network/monitoring-access';

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function check(name: string, probe: () => Promise<unknown>): Promise<ComponentStatus> {
  try {
    await withTimeout(probe(), 1500, name);
    return { name, state: 'up', required: true };
  } catch (err) {
    return { name, state: 'down', required: true, detail: (err as Error).message };
  }
}

/** /healthz: the process is alive. /readyz: it can serve, i.e. Postgres and Redis answer now. */
export function registerHealthRoutes(fastify: FastifyInstance, context: ApiContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const componentUp = new Gauge({
    name: 'switchboard_component_up',
    help: '1 when the component answers, 0 when it does not (-1 when disabled)',
    labelNames: ['component'],
    registers: [context.metrics],
  });
  const Component = Type.Object({ name: Type.String(), state: Type.String(), required: Type.Boolean(), detail: Type.Optional(Type.String()) });

  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags: ['health'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    handler: () => ({ status: 'ok' as const }),
  });

  const access = monitoringAccess(context.config.http.monitoringNetworks, context.config.http.monitoringToken);
  const monitoring = (request: FastifyRequest): boolean => access.allows({ ip: request.ip, authorization: request.headers.authorization });
  const Readiness = Type.Object({ ready: Type.Boolean(), components: Type.Optional(Type.Array(Component)) });

  app.get('/readyz', {
    config: { access: 'public' },
    schema: {
      tags: ['health'],
      summary: 'Readiness: Postgres and Redis answer; each component\'s state only for the monitoring networks or token (http.monitoringNetworks / MONITORING_TOKEN)',
      response: { 200: Readiness, 503: Readiness },
    },
    handler: async (request, reply) => {
      const components = [
        await check('postgres', () => context.db.query('SELECT 1')),
        await check('redis', () => context.redis.ping()),
        ...context.components(),
      ];
      for (const c of components) componentUp.set({ component: c.name }, c.state === 'up' ? 1 : c.state === 'down' ? 0 : -1);
      const ready = components.every((c) => !c.required || c.state === 'up');
      // A load balancer needs the verdict; the components and their error texts are for the site's own monitoring.
      return reply.code(ready ? 200 : 503).send(monitoring(request) ? { ready, components } : { ready });
    },
  });

  app.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['health'], summary: 'Prometheus metrics (the monitoring networks or token only)', hide: false, response: { 200: TextBody('the Prometheus text format'), 403: ErrorBody } },
    handler: async (request, reply) => {
      if (!monitoring(request)) throw new AppError('FORBIDDEN', 'metrics are for the monitoring networks (http.monitoringNetworks) or the monitoring token (MONITORING_TOKEN)');
      return reply.type(context.metrics.contentType).send(await context.metrics.metrics());
    },
  });
}
