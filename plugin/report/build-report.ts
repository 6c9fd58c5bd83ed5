/** Cases in, one validated Report out: runs the analysis and collects warnings. No I/O. */
import { evaluateCase } from '../analysis/evaluate.ts'
import type { ManifestLike } from '../analysis/projection.ts'
import { summariseSuite } from '../analysis/summary.ts'
import type { CaseResult } from '../model/case-result.ts'
import type { Environment } from '../model/environment.ts'
import type { Thresholds, Warning } from '../model/thresholds.ts'
import type { AbandonedRun } from '../model/abandoned-run.ts'
import { parseReport, REPORT_SCHEMA_VERSION, type Interruption, type Report, type ReportCase } from './schema.ts'

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
  cases: readonly CaseResult[]
  /** The real-sample manifest for a case, when it has one. */
  manifestFor?: (caseResult: CaseResult) => ManifestLike | undefined
  /** Set when the suite was stopped before its end. */
  interruption?: Interruption | null
  abandonedRuns?: readonly AbandonedRun[]
}

function warningKey(w: Warning): string {
  return `${w.caseId ?? ''}|${w.code}|${w.metric}`
}

function dedupe(warnings: readonly Warning[]): Warning[] {
  const seen = new Map<string, Warning>()
  for (const w of warnings) if (!seen.has(warningKey(w))) seen.set(warningKey(w), w)
  return [...seen.values()]
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
  const cases: ReportCase[] = []
  const warnings: Warning[] = []
  for (const caseResult of [...input.cases].sort((a, b) => a.startedAtMs - b.startedAtMs)) {
    const evaluation = evaluateCase(caseResult, input.thresholds, input.manifestFor?.(caseResult))
    warnings.push(...caseResult.warnings, ...evaluation.warnings)
    cases.push({ ...caseResult, analysis: evaluation.analysis })
  }
  const unique = dedupe(warnings)
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
    warnings: unique,
    validations: cases.filter((c) => c.kind === 'validation').map((c) => ({ caseId: c.id, title: c.title, status: c.status, comparisons: c.comparisons })),
    notEvaluated: cases.flatMap((c) => c.analysis.notEvaluated),
    summary: summariseSuite(cases, unique.length, input.strict, input.interruption ? 'interrupted' : input.complete ? 'complete' : 'running'),
    interruption: input.interruption ?? null,
    abandonedRuns: [...(input.abandonedRuns ?? [])],
  }
  return parseReport(report, `report for suite "${input.suite}"`)
}
