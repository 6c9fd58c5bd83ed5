/** Cases in, one validated Report out: takes each case's evaluation (analysis and warnings), derives each case's one status and the bottleneck analysis, and collects them. No I/O. */
import { bottleneckAnalysis } from '../analysis/bottlenecks.ts'
import { caseVerdict } from '../analysis/case-verdict.ts'
import { evaluateCase } from '../analysis/evaluate.ts'
import type { ManifestLike } from '../analysis/projection.ts'
import { summariseSuite } from '../analysis/summary.ts'
import type { CaseResult } from '../model/case-result.ts'
import type { Environment } from '../model/environment.ts'
import type { Thresholds } from '../model/thresholds.ts'
import type { AbandonedRun } from '../model/abandoned-run.ts'
import { parseReport, REPORT_SCHEMA_VERSION, type EvaluatedCase, type Interruption, type Report, type ReportCase } from './schema.ts'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export interface BuildReportInput {
  suite: string
  createdAt: string
  complete: boolean
  strict: boolean
  environment: Environment
  /** Anything JSON-serialisable; functions and undefined values are dropped (JSON round trip). */
  config: Record<string, unknown>
  thresholds: Thresholds
  /** Cases as stored (evaluated by their session) or, for cases that never reached the store, not yet evaluated. */
  cases: readonly (CaseResult | EvaluatedCase)[]
  /** The real-sample manifest for a case, when it has one. */
  manifestFor?: (caseResult: CaseResult) => ManifestLike | undefined
  /** Set when the suite was stopped before its end. */
  interruption?: Interruption | null
  abandonedRuns?: readonly AbandonedRun[]
}

/**
 * Thresholds are evaluated once per case. The case's session evaluates it each time it persists it, because that is
 * where a miss must surface (annotation on the task, failure in strict mode), and stores the evaluation with the case;
 * the report uses that stored evaluation, so the report lists exactly what the run surfaced and nothing needs
 * de-duplicating. Only a case that never had an evaluation (a failed test that never reached the store, a case built by
 * hand) is evaluated here.
 */
function evaluated(caseResult: CaseResult | EvaluatedCase, thresholds: Thresholds, manifest: ManifestLike | undefined): EvaluatedCase {
  if ('analysis' in caseResult) return caseResult
  const { analysis, warnings } = evaluateCase(caseResult, thresholds, manifest)
  return { ...caseResult, warnings, analysis }
}

/** The config as the report stores it: a JSON round trip, so what is written is what can be read back. */
export function toJsonRecord(config: Record<string, unknown>): Record<string, JsonValue> {
  let text: string | undefined
  try {
    text = JSON.stringify(config)
  } catch (error) {
    throw new Error(`report config is not JSON-serialisable: ${error instanceof Error ? error.message : String(error)}`)
  }
  return text === undefined ? {} : (JSON.parse(text) as Record<string, JsonValue>)
}

export function buildReport(input: BuildReportInput): Report {
  const cases: ReportCase[] = [...input.cases]
    .sort((a, b) => a.startedAtMs - b.startedAtMs)
    .map((c) => evaluated(c, input.thresholds, input.manifestFor?.(c)))
    .map((c) => ({ ...c, verdict: caseVerdict({ ...c, warningCount: c.warnings.length }) }))
  const warnings = cases.flatMap((c) => c.warnings)
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    suite: input.suite,
    createdAt: input.createdAt,
    complete: input.complete,
    strict: input.strict,
    environment: input.environment,
    config: toJsonRecord(input.config),
    thresholds: input.thresholds,
    cases,
    scaling: cases.filter((c) => c.kind === 'scaling' && c.analysis.scaling !== null).map((c) => c.analysis.scaling).filter((s) => s !== null),
    projections: cases.flatMap((c) => c.analysis.projections),
    projectionChecks: cases.flatMap((c) => c.projectionChecks ?? []),
    warnings,
    validations: cases.filter((c) => c.kind === 'validation').map((c) => ({ caseId: c.id, title: c.title, status: c.status, verdict: c.verdict, comparisons: c.comparisons })),
    notEvaluated: cases.flatMap((c) => c.analysis.notEvaluated),
    bottlenecks: bottleneckAnalysis(cases),
    summary: summariseSuite(cases, warnings.length, input.strict, input.interruption ? 'interrupted' : input.complete ? 'complete' : 'running'),
    interruption: input.interruption ?? null,
    abandonedRuns: [...(input.abandonedRuns ?? [])],
  }
  return parseReport(report, `report for suite "${input.suite}"`)
}
