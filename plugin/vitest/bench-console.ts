/**
 * The console reporter for `vitest bench`: Vitest's default output (progress, errors) with the benchmark table
 * replaced by the harness's figures (report/bench-table.ts), read from the case store as each case's suite ends.
 * Vitest's own table and "faster than" summary are tinybench statistics of the bench function (hz, p99, ±rme),
 * which for one pipeline run disagree with the report and mean nothing (shared reference, Vitest 4.1 bench notes).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DefaultReporter, experimental_getRunnerTask, type TestCase, type TestModule, type TestSuite } from 'vitest/node'
import { z } from 'zod'
import { CaseResultSchema, type CaseResult } from '../model/case-result.ts'
import { benchTableLines, microBenchLines, type BenchRow } from '../report/bench-table.ts'
import { caseFileName, caseStoreDir } from '../report/case-store.ts'

const CaseMetaSchema = z.object({ caseId: z.string().min(1) })
const TinybenchSchema = z.object({ mean: z.number(), min: z.number(), max: z.number(), sampleCount: z.number(), rme: z.number() })

/** tinybench's result on the runner task (Vitest 4.1 has no reporter hook for it; shared reference §1.8). */
function tinybenchOf(testCase: TestCase): BenchRow['tinybench'] {
  const parsed = TinybenchSchema.safeParse((experimental_getRunnerTask(testCase).result as { benchmark?: unknown } | undefined)?.benchmark)
  if (!parsed.success) return null
  const b = parsed.data
  return { meanMs: b.mean, minMs: b.min, maxMs: b.max, samples: b.sampleCount, rmePercent: b.rme }
}

export class HarnessBenchConsole extends DefaultReporter {
  private readonly storeDir: string

  constructor(reportsDir: string, sessionId: string) {
    super()
    this.storeDir = caseStoreDir(reportsDir, sessionId)
  }

  private stored(caseId: string): CaseResult | null {
    try {
      const parsed = CaseResultSchema.safeParse(JSON.parse(readFileSync(join(this.storeDir, caseFileName(caseId)), 'utf8')))
      return parsed.success ? parsed.data : null
    } catch {
      return null
    }
  }

  override onTestSuiteResult(testSuite: TestSuite): void {
    super.onTestSuiteResult(testSuite)
    const benches = [...testSuite.children].filter((child) => child.type === 'test')
    if (benches.length === 0) return
    let caseId: string | null = null
    const rows: BenchRow[] = benches.map((bench) => {
      const meta = CaseMetaSchema.safeParse((bench.meta() as Record<string, unknown>)['virnucpro'])
      if (meta.success) caseId = meta.data.caseId
      const state = bench.result().state
      return { name: bench.name, state: state === 'passed' || state === 'failed' || state === 'skipped' ? state : 'pending', tinybench: tinybenchOf(bench) }
    })
    this.log('')
    // Skipped pipeline benches are harness cases too ("4 GPUs (skipped: …)"); a suite whose benches record no case
    // and were not skipped is a micro-benchmark of the harness's own code, where tinybench's figures are the result.
    const harness = caseId !== null || rows.every((r) => r.state === 'skipped')
    const lines = harness ? benchTableLines(testSuite.fullName, caseId === null ? null : this.stored(caseId), rows) : microBenchLines(testSuite.fullName, rows)
    for (const line of lines) this.log(line)
  }

  /** Per-test lines would repeat the bench function's duration, not the harness's wall time. */
  protected override printTestModule(_testModule: TestModule): void {}

  /** tinybench's "N× faster than" ranking compares GPU counts by bench-function time; the report has the speedups. */
  override reportBenchmarkSummary(): void {
    this.log('   (speedups, per-stage times and GPU figures: see the virnucpro summary below and the report)')
  }
}
