import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/pool';
import { registerQualityEvaluationRoutes } from './quality-evaluation-routes';
import { registerQualityFormRoutes } from './quality-form-routes';

/** Quality evaluation (issue 18 point 4): forms, the call picker, evaluations, agents' own, reports. */
export function registerQualityRoutes(app: FastifyInstance, db: Db): void {
  registerQualityFormRoutes(app, db);
  registerQualityEvaluationRoutes(app, db);
}
