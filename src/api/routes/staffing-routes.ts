import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MANAGERS } from '../../auth/roles';
import { AppError } from '../../errors/app-error';
import { trafficIntensity } from '../../staffing/erlang-c';
import { planStaffing } from '../../staffing/staffing-plan';
import { ErrorBody } from '../schemas/common-schemas';
import { StaffingPlan } from '../schemas/staffing-schemas';

/**
 * The search for the agents needed is linear in the load; beyond this the
 * forecast is a typo, and answering it would only tie up the event loop.
 */
const MAX_TRAFFIC_ERLANGS = 20_000;

const PlanBody = Type.Object({
  intervals: Type.Array(
    Type.Object({ start: Type.String({ minLength: 1, maxLength: 64, description: 'label or ISO time of the interval start' }), calls: Type.Number({ minimum: 0, maximum: 10_000_000 }) }, { additionalProperties: false }),
    { minItems: 1, maxItems: 5000 },
  ),
  intervalMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
  ahtSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 36_000 }),
  slPercent: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 100, description: 'target share answered within slSeconds, e.g. 90' }),
  slSeconds: Type.Number({ minimum: 0, maximum: 3600 }),
  shrinkagePercent: Type.Optional(Type.Number({ minimum: 0, maximum: 95 })),
  maxOccupancyPercent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
  headcount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'agents scheduled per interval; figures are then for this headcount after shrinkage' })),
}, { additionalProperties: false });

/** Erlang C staffing planner (design §1: "90 % of callers answered within 20 seconds"). */
export function registerStaffingRoutes(fastify: FastifyInstance): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/staffing/plan', {
    config: { access: MANAGERS },
    schema: {
      tags: ['staffing'],
      summary: 'Erlang C plan: per interval the load in Erlangs, agents needed, with shrinkage, and the expected service level (percent), ASA, occupancy (percent) and P(wait) (0–1)',
      body: PlanBody,
      response: { 200: StaffingPlan, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    // Pure arithmetic, so a synchronous handler: fastify sends what it returns.
    handler: (request) => {
      const body = request.body;
      const heaviest = Math.max(...body.intervals.map((i) => trafficIntensity(i.calls, body.intervalMinutes * 60, body.ahtSeconds)));
      if (heaviest > MAX_TRAFFIC_ERLANGS) {
        throw new AppError('VALIDATION_FAILED', `the heaviest interval is ${Math.round(heaviest)} Erlangs; the planner takes up to ${MAX_TRAFFIC_ERLANGS}`, [{ path: 'body/intervals', message: 'calls × ahtSeconds ÷ interval length is too large' }]);
      }
      try {
        return planStaffing(body);
      } catch (err) {
        // The pure code refuses inputs the schema cannot express (e.g. a target it can never reach).
        if (err instanceof RangeError) throw new AppError('VALIDATION_FAILED', err.message);
        throw err;
      }
    },
  });
}
