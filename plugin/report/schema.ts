/**
 * The report: one zod schema as the source of truth for the JSON report, the markdown report and compare-reports.
 * Published as JSON Schema in report.schema.json (scripts/write-schema.ts).
 */
import { z } from 'zod'
import { ProjectionCheckSchema } from '../model/projection-check.ts'
import { CaseAnalysisSchema, NotEvaluatedSchema, ProjectionSchema, ScalingAnalysisSchema, SummaryStatusSchema } from '../analysis/schema.ts'
import { CaseVerdictSchema } from '../analysis/case-verdict.ts'
import { BottleneckAnalysisSchema } from '../model/bottlenecks.ts'
import { AbandonedRunSchema } from '../model/abandoned-run.ts'
import { CaseResultSchema } from '../model/case-result.ts'
import { EnvironmentSchema } from '../model/environment.ts'
import { ThresholdsSchema, WarningSchema } from '../model/thresholds.ts'
import { ComparisonSchema } from '../model/validation.ts'

export const REPORT_SCHEMA_VERSION = 1

/** A case as its session stores it: what it gathered and its one threshold evaluation. */
export const EvaluatedCaseSchema = CaseResultSchema.extend({ analysis: CaseAnalysisSchema })
export type EvaluatedCase = z.infer<typeof EvaluatedCaseSchema>
/** A case as reported: the stored case and its one status, derived when the report is built (analysis/case-verdict.ts). */
export const ReportCaseSchema = EvaluatedCaseSchema.extend({ verdict: CaseVerdictSchema })
export type ReportCase = z.infer<typeof ReportCaseSchema>

export const ValidationEntrySchema = z.object({
  caseId: z.string(),
  title: z.string(),
  status: CaseResultSchema.shape.status,
  verdict: CaseVerdictSchema,
  comparisons: z.array(ComparisonSchema),
})
export type ValidationEntry = z.infer<typeof ValidationEntrySchema>

export const ReportSummarySchema = z.object({
  status: SummaryStatusSchema,
  cases: z.number().int().nonnegative(),
  /** Cases that passed (with or without warnings), fault cases whose fault was caught included. */
  passed: z.number().int().nonnegative().default(0),
  failed: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
})
export type ReportSummary = z.infer<typeof ReportSummarySchema>

/** How a suite that did not finish was stopped, and what it had done: written at the first signal. */
export const InterruptionSchema = z.object({
  /** The signal that stopped the suite, or null when Vitest itself cancelled the run or a worker died. */
  signal: z.string().nullable(),
  atMs: z.number(),
  reason: z.string(),
  /** Tests that had started and not finished when the suite was stopped. */
  running: z.array(z.string()),
  /** Tests that had finished by then (with their state). */
  finished: z.array(z.string()),
})
export type Interruption = z.infer<typeof InterruptionSchema>

export const ReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  /** Which suite produced it: 'bench', 'validations', … */
  suite: z.string().min(1),
  createdAt: z.string(),
  /** False while the run is still going, or when it crashed or was interrupted: the cases so far are kept. */
  complete: z.boolean(),
  /** Strict mode: threshold misses count as failures. */
  strict: z.boolean(),
  environment: EnvironmentSchema,
  config: z.record(z.string(), z.json()),
  thresholds: ThresholdsSchema,
  cases: z.array(ReportCaseSchema),
  scaling: z.array(ScalingAnalysisSchema),
  projections: z.array(ProjectionSchema),
  /** Projected vs measured wall time of held-out samples (projection-check cases); absent in older reports. */
  projectionChecks: z.array(ProjectionCheckSchema).default([]),
  warnings: z.array(WarningSchema),
  validations: z.array(ValidationEntrySchema),
  notEvaluated: z.array(NotEvaluatedSchema),
  /** Where each run's time went and what does not shrink with more GPUs (plugin/analysis/bottlenecks.ts). */
  bottlenecks: BottleneckAnalysisSchema.default({ runs: [], serial: [] }),
  summary: ReportSummarySchema,
  /** Set when the suite was stopped before it ended (then summary.status is 'interrupted'). */
  interruption: InterruptionSchema.nullable().default(null),
  /** Run folders of earlier, killed harness runs that this run found and cleaned up. */
  abandonedRuns: z.array(AbandonedRunSchema).default([]),
})
export type Report = z.infer<typeof ReportSchema>

/** Parses a report, naming the first bad field in the error (e.g. `cases.0.runs.1.wallSeconds: expected number`). */
export function parseReport(value: unknown, source: string): Report {
  const result = ReportSchema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
  throw new Error(`${source} is not a valid report: ${issues.join('; ')}`)
}

export function reportJsonSchema(): unknown {
  return z.toJSONSchema(ReportSchema, { target: 'draft-2020-12' })
}
