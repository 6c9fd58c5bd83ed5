/**
 * HarnessReporter: keeps `latest.*` current while the suite runs (complete:false after every case and module) and
 * writes the final reports at the end. The case store is the primary source (bench mode has no test context);
 * test meta `virnucpro.caseId` and 'warning' annotations are collected to cross-check it, and a failed test that
 * never reached the store still shows up as a failed case, so no result is lost.
 */
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, Vitest } from 'vitest/node'
import { z } from 'zod'
import { caseIdFor } from '../model/case-id.ts'
import { CaseResultSchema, type CaseResult } from '../model/case-result.ts'
import type { Environment } from '../model/environment.ts'
import type { Thresholds } from '../model/thresholds.ts'
import type { AbandonedRun } from '../model/abandoned-run.ts'
import { CaseStore } from '../report/case-store.ts'
import { consoleSummary } from '../report/console-summary.ts'
import { onFirstSignal, writeInterruptedReportSync } from '../report/interrupted-report.ts'
import type { Interruption } from '../report/schema.ts'
import { regenerateReports, type Regenerated } from '../report/regenerate.ts'
import { stampFrom } from '../report/write-reports.ts'

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
  /** Run folders of killed earlier sessions that this session found (listed in every report it writes). */
  abandonedRuns?: readonly AbandonedRun[]
}

const CaseMetaSchema = z.object({ caseId: z.string().min(1) })
/** How Vitest 4.1's pool reports a worker that was killed or crashed (cli-api: emitUnexpectedExit, pool errors). */
const WORKER_DIED = /Worker exited unexpectedly|\[vitest-pool\]: Worker \S+ emitted error/

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
  // --- interruption (issue 17): which tests are running, so a stopped suite can say what it was doing ---
  private readonly running = new Map<string, string>()
  private readonly finished: string[] = []
  private readonly done = new Set<string>()
  /** Tests collected per module, so an interruption can name a test whose start report had not arrived yet. */
  private readonly collected = new Map<string, { id: string; name: string }[]>()
  private interruption: Interruption | null = null
  private removeSignalListener: (() => void) | null = null

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

  /** Only the main process's reporter listens for signals: Vitest exits 1 ms after one, so the report is written synchronously. */
  onInit(_vitest: Vitest): void {
    this.removeSignalListener ??= onFirstSignal((signal) => this.writeInterrupted(signal))
  }

  onTestCaseReady(testCase: TestCase): void {
    // Vitest may deliver 'ready' after the result of a fast test (both come in one batch of task updates).
    if (!this.done.has(testCase.id)) this.running.set(testCase.id, testCase.fullName)
  }

  onTestModuleCollected(testModule: TestModule): void {
    this.collected.set(testModule.moduleId, [...testModule.children.allTests()].map((t) => ({ id: t.id, name: t.fullName })))
  }

  /**
   * Running: the tests whose start was reported, and, in modules already under way, the collected tests that have
   * not finished (a worker reports starts in throttled batches, so under load a signal can arrive before the report).
   */
  private runningNow(): string[] {
    const names = new Map(this.running)
    for (const tests of this.collected.values()) {
      const started = tests.some((t) => this.done.has(t.id) || this.running.has(t.id))
      if (!started) continue
      const next = tests.find((t) => !this.done.has(t.id) && !names.has(t.id))
      // Tests of a module run one after another: the first unfinished one is the one running.
      if (next !== undefined && ![...names.keys()].some((id) => tests.some((t) => t.id === id))) names.set(next.id, next.name)
    }
    return [...names.values()]
  }

  private interruptionNow(signal: string | null, reason: string): Interruption {
    return { signal, atMs: Date.now(), reason, running: this.runningNow(), finished: [...this.finished] }
  }

  /** Called from the signal listener: synchronous from start to end. */
  private writeInterrupted(signal: NodeJS.Signals): void {
    this.interruption = this.interruptionNow(signal, `the suite received ${signal}`)
    try {
      const { report, files } = writeInterruptedReportSync({
        storeDir: this.store.dir,
        reportsDir: this.options.reportsDir,
        stamp: stampFrom(this.createdAt.toISOString()),
        suite: this.options.suite,
        createdAt: this.createdAt.toISOString(),
        strict: this.options.strict,
        config: this.options.config,
        interruption: this.interruption,
        extraCases: this.casesOutsideStore([]),
        abandonedRuns: this.options.abandonedRuns ?? [],
        ...(this.options.thresholds ? { thresholds: this.options.thresholds } : {}),
        ...(this.options.environment ? { environment: this.options.environment } : {}),
      })
      this.log(`⛔ virnucpro ${report.suite}: interrupted by ${signal} (${this.interruption.running.length} running, ${this.interruption.finished.length} finished); report: ${files.find((f) => f.endsWith('.md')) ?? ''}`)
    } catch (error) {
      this.log(`❌ virnucpro: interrupted by ${signal}; the report could not be written: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  // --- end interruption ---

  async onTestCaseResult(testCase: TestCase): Promise<void> {
    const meta = CaseMetaSchema.safeParse((testCase.meta() as Record<string, unknown>)['virnucpro'])
    const result = testCase.result()
    this.running.delete(testCase.id)
    this.done.add(testCase.id)
    this.finished.push(`${testCase.fullName}: ${result.state}`)
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
    this.removeSignalListener?.()
    // Tests that started and never finished mean a worker died or the run was cancelled: not a complete suite.
    const workerDied = [...unhandledErrors.map(errorText), ...[...this.seen.values()].flatMap((t) => t.errors)].some((m) => WORKER_DIED.test(m))
    if (this.interruption === null && (reason === 'interrupted' || this.running.size > 0 || workerDied)) {
      const why = reason === 'interrupted' ? 'Vitest cancelled the run' : workerDied ? 'a Vitest worker died (killed or crashed) while tests ran' : 'tests started but never finished (a worker died)'
      this.interruption = this.interruptionNow(null, why)
    }
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
        interruption: this.interruption,
        abandonedRuns: this.options.abandonedRuns ?? [],
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
      if (test.state === 'skipped') {
        // Only benchmark and validation cases: a skipped unit test is not a case of the harness's report.
        if (/(^|\/)(benches|validations)\//.test(test.file)) cases.push(this.skippedCase(test, now))
        continue
      }
      if (test.state !== 'failed') continue
      cases.push(this.errorCase(test.caseId ?? `vitest:${test.name}`, test.name, test.file, test.errors.join('; ') || 'test failed', now))
    }
    if (unhandledErrors.length > 0) {
      cases.push(this.errorCase('vitest:unhandled-errors', 'Unhandled errors', '', unhandledErrors.map((e) => errorText(e)).join('; '), now))
    }
    return cases
  }

  /**
   * A test Vitest skipped (`bench.skip`, `test.skipIf`) that never reached the store: listed as a skipped case, its
   * reason taken from the "(… )" the harness puts in skipped task names. A case that ran other tasks keeps its own
   * entry (the store wins on id clashes), so this only adds cases that did not run at all.
   */
  private skippedCase(test: SeenTest, now: number): CaseResult {
    const [suite, ...rest] = test.name.split(' > ')
    const name = rest.join(' > ') || suite || test.name
    const reason = /\((?:skipped: )?([^()]*(?:\([^()]*\)[^()]*)*)\)\s*$/.exec(name)?.[1] ?? 'skipped by Vitest (no reason given)'
    const title = rest.length > 0 ? (suite ?? name) : name.replace(/\s*\([^()]*\)\s*$/, '')
    const kind = /\.bench\./.test(test.file) ? 'end-to-end' : 'validation'
    const why = rest.length > 0 ? `${name.replace(/\s*\([^()]*\)\s*$/, '')}: ${reason}` : reason
    return this.outsideCase({ id: test.caseId ?? caseIdFor(test.file, title), title, file: test.file, kind, status: 'skipped', error: null, skipReasons: [why], sampleName: 'not resolved' }, now)
  }

  private errorCase(id: string, title: string, file: string, error: string, now: number): CaseResult {
    return this.outsideCase({ id, title, file, kind: 'end-to-end', status: 'error', error, skipReasons: [], sampleName: 'unknown' }, now)
  }

  /** A case that never reached the case store (skipped by Vitest, or a test that failed before it ran one). */
  private outsideCase(c: Pick<CaseResult, 'id' | 'title' | 'file' | 'kind' | 'status' | 'error' | 'skipReasons'> & { sampleName: string }, now: number): CaseResult {
    const { sampleName, ...identity } = c
    return CaseResultSchema.parse({
      ...identity,
      sample: { name: sampleName, path: '', records: null, manifestPath: null },
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
    const lines = consoleSummary(report, written, report.complete ? null : reason)
    const tail = lines.splice(lines.findIndex((l) => l.startsWith('   report: ')))
    for (const line of lines) this.log(line)
    for (const c of final.corrupt) this.log(`⚠ skipped unreadable case file ${c.file}: ${c.reason}`)
    for (const p of final.problems) this.log(`⚠ ${p}`)
    for (const line of this.crossCheck(report.cases.map((c) => c.id))) this.log(`⚠ ${line}`)
    for (const line of tail) this.log(line)
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
