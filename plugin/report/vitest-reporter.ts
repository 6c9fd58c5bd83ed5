/**
 * HarnessReporter: keeps `latest.*` current while the suite runs (complete:false after every case and module) and
 * writes the final reports at the end. The case store is the primary source (bench mode has no test context);
 * test meta `virnucpro.caseId` and 'warning' annotations are collected to cross-check it, and a failed test that
 * never reached the store still shows up as a failed case, so no result is lost.
 */
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason } from 'vitest/node'
import { z } from 'zod'
import { CaseResultSchema, type CaseResult } from '../model/case-result.ts'
import type { Environment } from '../model/environment.ts'
import type { Thresholds } from '../model/thresholds.ts'
import { CaseStore } from './case-store.ts'
import { regenerateReports, type Regenerated } from './regenerate.ts'
import { stampFrom } from './write-reports.ts'

export interface HarnessReporterOptions {
  reportsDir: string
  sessionId: string
  suite: string
  environment?: Environment
  config: Record<string, unknown>
  strict: boolean
  thresholds?: Thresholds
  /** Where the summary lines go; stdout by default. */
  log?: (line: string) => void
  /** For tests: a fixed creation time. */
  now?: () => Date
}

const CaseMetaSchema = z.object({ caseId: z.string().min(1) })

interface SeenTest {
  caseId: string | null
  name: string
  file: string
  state: string
  errors: string[]
  warnings: string[]
}

function errorText(error: { message?: unknown; name?: unknown }): string {
  return typeof error.message === 'string' ? error.message : typeof error.name === 'string' ? error.name : 'unknown error'
}

export class HarnessReporter implements Reporter {
  private readonly options: HarnessReporterOptions
  private readonly store: CaseStore
  private readonly createdAt: Date
  private readonly seen = new Map<string, SeenTest>()
  private queue: Promise<unknown> = Promise.resolve()
  private lastError: string | null = null

  constructor(options: HarnessReporterOptions) {
    if (!options.reportsDir || !options.sessionId || !options.suite) {
      throw new Error(`HarnessReporter needs reportsDir, sessionId and suite (got ${JSON.stringify({ reportsDir: options.reportsDir, sessionId: options.sessionId, suite: options.suite })})`)
    }
    this.options = options
    this.store = CaseStore.forSession(options.reportsDir, options.sessionId)
    this.createdAt = options.now?.() ?? new Date()
  }

  private log(line: string): void {
    if (this.options.log) this.options.log(line)
    else process.stdout.write(`${line}\n`)
  }

  async onTestCaseResult(testCase: TestCase): Promise<void> {
    const meta = CaseMetaSchema.safeParse((testCase.meta() as Record<string, unknown>)['virnucpro'])
    const result = testCase.result()
    this.seen.set(testCase.id, {
      caseId: meta.success ? meta.data.caseId : null,
      name: testCase.fullName,
      file: testCase.module.relativeModuleId,
      state: result.state,
      errors: (result.errors ?? []).map(errorText),
      warnings: testCase.annotations().filter((a) => a.type === 'warning').map((a) => a.message),
    })
    await this.schedule(false)
  }

  async onTestModuleEnd(_testModule: TestModule): Promise<void> {
    await this.schedule(false)
  }

  async onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): Promise<void> {
    const final = await this.schedule(reason !== 'interrupted', unhandledErrors, true)
    if (final === null) {
      this.log(`❌ virnucpro report could not be written: ${this.lastError ?? 'unknown error'}`)
      return
    }
    this.printSummary(final, reason)
  }

  /** Serialises rewrites: a slow write must not interleave with the next one. */
  private schedule(complete: boolean, unhandledErrors: ReadonlyArray<SerializedError> = [], last = false): Promise<Regenerated | null> {
    const next = this.queue.then(() => this.regenerate(complete, unhandledErrors, last))
    this.queue = next
    return next
  }

  private async regenerate(complete: boolean, unhandledErrors: ReadonlyArray<SerializedError>, last: boolean): Promise<Regenerated | null> {
    try {
      return await regenerateReports({
        store: this.store,
        reportsDir: this.options.reportsDir,
        stamp: stampFrom(this.createdAt.toISOString()),
        suite: this.options.suite,
        createdAt: this.createdAt.toISOString(),
        complete,
        strict: this.options.strict,
        config: this.options.config,
        extraCases: this.casesOutsideStore(unhandledErrors),
        stepSummary: complete,
        charts: last, // live rewrites skip the charts (issue 16: their cost grows with every case)
        ...(this.options.thresholds ? { thresholds: this.options.thresholds } : {}),
        ...(this.options.environment ? { environment: this.options.environment } : {}),
      })
    } catch (error) {
      // A live rewrite failing must not kill the test run; the final one reports it.
      this.lastError = error instanceof Error ? error.message : String(error)
      return null
    }
  }

  /** Failed tests with no stored case, and unhandled errors, become error cases so the summary cannot pass them. */
  private casesOutsideStore(unhandledErrors: ReadonlyArray<SerializedError>): CaseResult[] {
    const now = Date.now()
    const cases: CaseResult[] = []
    for (const test of this.seen.values()) {
      if (test.state !== 'failed') continue
      cases.push(this.errorCase(test.caseId ?? `vitest:${test.name}`, test.name, test.file, test.errors.join('; ') || 'test failed', now))
    }
    if (unhandledErrors.length > 0) {
      cases.push(this.errorCase('vitest:unhandled-errors', 'Unhandled errors', '', unhandledErrors.map((e) => errorText(e)).join('; '), now))
    }
    return cases
  }

  private errorCase(id: string, title: string, file: string, error: string, now: number): CaseResult {
    return CaseResultSchema.parse({
      id,
      title,
      file,
      kind: 'end-to-end',
      status: 'error',
      error,
      skipReasons: [],
      sample: { name: 'unknown', path: '', records: null, manifestPath: null },
      params: {},
      runs: [],
      comparisons: [],
      warnings: [],
      startedAtMs: now,
      endedAtMs: now,
    })
  }

  private printSummary(final: Regenerated, reason: TestRunEndReason): void {
    const { report, written } = final
    const s = report.summary
    const icon = s.status === 'pass' ? '✅' : s.status === 'fail' ? '❌' : '⚠️'
    this.log('')
    this.log(`${icon} virnucpro ${report.suite}: ${s.status} (${s.cases} cases, ${s.failed} failed, ${s.warnings} warnings, ${s.skipped} skipped)${report.complete ? '' : ` (incomplete: ${reason})`}`)
    if (report.cases.length === 0) this.log('   nothing ran: no case reached the case store')
    for (const w of report.warnings) this.log(`⚠ ${w.caseId ? `${w.caseId}: ` : ''}${w.message} (measured ${w.measured ?? '—'}, target ${w.target}, ${w.shortfall}; ${w.basis})`)
    for (const c of final.corrupt) this.log(`⚠ skipped unreadable case file ${c.file}: ${c.reason}`)
    for (const p of final.problems) this.log(`⚠ ${p}`)
    for (const line of this.crossCheck(report.cases.map((c) => c.id))) this.log(`⚠ ${line}`)
    this.log(`   report: ${written.markdown}`)
    this.log(`   json:   ${written.json}`)
    this.log(`   latest: ${written.latestMarkdown}`)
  }

  /** Tests that named a case id, or annotated warnings, without the store knowing that case. */
  private crossCheck(caseIds: readonly string[]): string[] {
    const known = new Set(caseIds)
    const lines: string[] = []
    for (const test of this.seen.values()) {
      if (test.caseId !== null && !known.has(test.caseId)) lines.push(`test "${test.name}" reported case ${test.caseId}, which is not in the case store`)
      if (test.caseId === null && test.warnings.length > 0) lines.push(`test "${test.name}" annotated ${test.warnings.length} warning(s) but names no case: ${test.warnings.join('; ')}`)
    }
    return lines
  }
}
