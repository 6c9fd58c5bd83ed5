/**
 * Store → report → files: what runs after every case (complete:false) and at the end (complete:true).
 * Shared by the Vitest reporter and anything else that needs to rebuild reports from a case store.
 */
import type { ManifestLike } from '../analysis/projection.ts'
import type { CaseResult } from '../model/case-result.ts'
import type { Environment } from '../model/environment.ts'
import { DEFAULT_THRESHOLDS, type Thresholds } from '../model/thresholds.ts'
import { buildReport } from './build-report.ts'
import type { CaseStore, CorruptCaseFile } from './case-store.ts'
import { hostEnvironment } from './host-environment.ts'
import { loadManifestLike } from './load-manifest.ts'
import type { Interruption, Report } from './schema.ts'
import type { AbandonedRun } from '../model/abandoned-run.ts'
import { writeReports, type WrittenReports } from './write-reports.ts'

export interface RegenerateOptions {
  store: CaseStore
  reportsDir: string
  stamp: string
  suite: string
  createdAt: string
  complete: boolean
  strict: boolean
  config: Record<string, unknown>
  thresholds?: Thresholds
  environment?: Environment
  /** Cases known outside the store (e.g. a failed test that never reached it); the store wins on id clashes. */
  extraCases?: readonly CaseResult[]
  stepSummary?: boolean
  /** Set when the suite was stopped before its end. */
  interruption?: Interruption | null
  abandonedRuns?: readonly AbandonedRun[]
  /** SVG charts (and the timeline reads they need): the final report only, by default. */
  charts?: boolean
}

export interface Regenerated {
  report: Report
  written: WrittenReports
  corrupt: CorruptCaseFile[]
  /** Manifests that could not be read: those cases are reported without a projection. */
  problems: string[]
}

async function manifestsFor(cases: readonly CaseResult[], problems: string[]): Promise<Map<string, ManifestLike>> {
  const manifests = new Map<string, ManifestLike>()
  for (const c of cases) {
    const path = c.sample.manifestPath
    if (path === null || manifests.has(path)) continue
    try {
      manifests.set(path, await loadManifestLike(path))
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error))
    }
  }
  return manifests
}

export async function regenerateReports(options: RegenerateOptions): Promise<Regenerated> {
  const { cases: stored, corrupt } = await options.store.readAll()
  const storedIds = new Set(stored.map((c) => c.id))
  const cases = [...stored, ...(options.extraCases ?? []).filter((c) => !storedIds.has(c.id))]
  const problems: string[] = []
  const manifests = await manifestsFor(cases, problems)
  const report = buildReport({
    suite: options.suite,
    createdAt: options.createdAt,
    complete: options.complete,
    strict: options.strict,
    environment: options.environment ?? cases.flatMap((c) => c.runs)[0]?.environment ?? hostEnvironment(),
    config: options.config,
    thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
    cases,
    manifestFor: (c) => (c.sample.manifestPath === null ? undefined : manifests.get(c.sample.manifestPath)),
    interruption: options.interruption ?? null,
    abandonedRuns: options.abandonedRuns ?? [],
  })
  const written = await writeReports(report, { reportsDir: options.reportsDir, stamp: options.stamp, stepSummary: options.stepSummary ?? false, charts: options.charts ?? options.complete })
  return { report, written, corrupt, problems: [...problems, ...written.problems] }
}
