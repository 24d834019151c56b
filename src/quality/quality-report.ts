import { roundPercent } from './evaluation-scoring';

export type QualityReportBucket = 'day' | 'week';

/** One stored evaluation as the report reads it. */
export interface ReportedEvaluation {
  readonly agentId: number | null;
  readonly agentName: string | null;
  /** When the evaluated call started: a week's quality is that of the calls taken in it, whenever they were reviewed. */
  readonly callStartedAt: Date;
  readonly totalPercent: number;
  readonly passed: boolean;
  readonly scores: ReadonlyArray<{ readonly criterionId: string; readonly label: string; readonly score: number; readonly maxScore: number }>;
}

export interface CriterionAverage {
  readonly criterionId: string;
  readonly label: string;
  /** Mean of score / maxScore over the evaluations that scored it, as a percent with one decimal. */
  readonly averagePercentOfMax: number;
}

export interface QualityReportRow {
  readonly agentId: number | null;
  readonly agentName: string | null;
  readonly bucketStart: string;
  readonly evaluations: number;
  /** Mean of the evaluations' totals, one decimal. */
  readonly averagePercent: number;
  /** Share of evaluations that passed, 0..1 (like the call reports' ratios). */
  readonly passRate: number;
  readonly criteria: CriterionAverage[];
}

const DAY_MS = 86_400_000;

/** The start of the UTC day, or of the ISO week (Monday 00:00 UTC), that holds the instant. */
export function bucketStartOf(at: Date, bucket: QualityReportBucket): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  if (bucket === 'day') return new Date(day);
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * DAY_MS);
}

interface Accumulator {
  agentId: number | null;
  agentName: string | null;
  bucketStart: Date;
  evaluations: number;
  totalPercentSum: number;
  passed: number;
  criteria: Map<string, { label: string; ratioSum: number; count: number }>;
}

/**
 * Per agent and bucket: how many evaluations, their mean total, the share
 * that passed, and per criterion the mean score as a percent of its maximum
 * (criteria in the order first met, so a form's order is kept). Rows are
 * ordered by agent name, then agent id, then bucket.
 */
export function aggregateQualityReport(evaluations: readonly ReportedEvaluation[], bucket: QualityReportBucket): QualityReportRow[] {
  const groups = new Map<string, Accumulator>();
  for (const evaluation of evaluations) {
    const bucketStart = bucketStartOf(evaluation.callStartedAt, bucket);
    const key = `${evaluation.agentId ?? ''}|${bucketStart.toISOString()}`;
    let group = groups.get(key);
    if (!group) {
      group = { agentId: evaluation.agentId, agentName: evaluation.agentName, bucketStart, evaluations: 0, totalPercentSum: 0, passed: 0, criteria: new Map() };
      groups.set(key, group);
    }
    group.evaluations += 1;
    group.totalPercentSum += evaluation.totalPercent;
    if (evaluation.passed) group.passed += 1;
    for (const score of evaluation.scores) {
      const criterion = group.criteria.get(score.criterionId) ?? { label: score.label, ratioSum: 0, count: 0 };
      criterion.ratioSum += score.score / score.maxScore;
      criterion.count += 1;
      group.criteria.set(score.criterionId, criterion);
    }
  }
  return [...groups.values()]
    .sort((a, b) => (a.agentName ?? '').localeCompare(b.agentName ?? '') || (a.agentId ?? 0) - (b.agentId ?? 0) || a.bucketStart.getTime() - b.bucketStart.getTime())
    .map((g) => ({
      agentId: g.agentId,
      agentName: g.agentName,
      bucketStart: g.bucketStart.toISOString(),
      evaluations: g.evaluations,
      averagePercent: roundPercent(g.totalPercentSum / g.evaluations),
      passRate: Math.round((g.passed / g.evaluations) * 10_000) / 10_000,
      criteria: [...g.criteria].map(([criterionId, c]) => ({ criterionId, label: c.label, averagePercentOfMax: roundPercent((c.ratioSum / c.count) * 100) })),
    }));
}
