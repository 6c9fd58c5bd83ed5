/** Builders of schema-valid Reports for tests of formatters, writers and compare-reports. */
import type { CaseResult } from '../model/case-result.ts'
import { DEFAULT_THRESHOLDS, type Thresholds } from '../model/thresholds.ts'
import { buildReport } from '../report/build-report.ts'
import type { Report } from '../report/schema.ts'
import { buildEnvironment } from './builders.ts'

export function buildTestReport(cases: readonly CaseResult[], options: { suite?: string; complete?: boolean; strict?: boolean; thresholds?: Thresholds; createdAt?: string; manifest?: { name: string; sequenceCount: number; length: { mean: number } } } = {}): Report {
  const manifest = options.manifest
  return buildReport({
    suite: options.suite ?? 'bench',
    createdAt: options.createdAt ?? '2026-11-28T12:00:05.000Z',
    complete: options.complete ?? true,
    strict: options.strict ?? false,
    environment: cases.flatMap((c) => c.runs)[0]?.environment ?? buildEnvironment(),
    config: { target: 'reference', repeats: 3 },
    thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
    cases,
    ...(manifest ? { manifestFor: () => manifest } : {}),
  })
}
