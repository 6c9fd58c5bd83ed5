import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestCase } from 'vitest/node'
import { describe, expect, it } from 'vitest'
import { CaseStore } from '../report/case-store.ts'
import { ReportSchema } from '../report/schema.ts'
import { buildScalingCase } from '../test-support/builders.ts'
import { HarnessReporter } from './harness-reporter.ts'

/** The few TestCase members the reporter reads; the rest of the interface is not needed here. */
function fakeTestCase(options: { id: string; name: string; state: 'passed' | 'failed' | 'skipped'; caseId?: string; errors?: string[]; warnings?: string[]; file?: string }): TestCase {
  const fake = {
    id: options.id,
    fullName: options.name,
    module: { relativeModuleId: options.file ?? 'benches/scaling.bench.ts' },
    meta: () => (options.caseId ? { virnucpro: { caseId: options.caseId } } : {}),
    result: () => ({ state: options.state, errors: (options.errors ?? []).map((message) => ({ message })) }),
    annotations: () => (options.warnings ?? []).map((message) => ({ message, type: 'warning' })),
  }
  return fake as unknown as TestCase
}

async function setup() {
  const reportsDir = await mkdtemp(join(tmpdir(), 'reporter-'))
  const lines: string[] = []
  const reporter = new HarnessReporter({ reportsDir, sessionId: 's1', suite: 'bench', config: { target: 'reference', fn: () => 1 }, strict: false, log: (l) => lines.push(l), now: () => new Date('2026-11-28T12:00:05Z') })
  const store = CaseStore.forSession(reportsDir, 's1')
  const latest = async () => ReportSchema.parse(JSON.parse(await readFile(join(reportsDir, 'latest-bench.json'), 'utf8')))
  return { reportsDir, lines, reporter, store, latest }
}

describe('HarnessReporter', () => {
  it('rewrites latest.* with complete:false after each case, complete:true at the end, and prints a summary', async () => {
    const { reporter, store, latest, lines } = await setup()
    await store.write(buildScalingCase({ gpuCounts: [1, 2], repeats: 1 }))
    await reporter.onTestCaseResult(fakeTestCase({ id: 't1', name: 'scaling', state: 'passed', caseId: 'scaling-small', warnings: ['speedup short'] }))
    const live = await latest()
    expect(live.complete).toBe(false)
    expect(live.cases.map((c) => c.id)).toEqual(['scaling-small'])
    expect(live.config).toEqual({ target: 'reference' })
    await reporter.onTestRunEnd([], [], 'passed')
    const final = await latest()
    expect(final.complete).toBe(true)
    expect(final.summary.status).toBe('pass-with-warnings')
    expect(lines.find((l) => l.includes('virnucpro bench: pass-with-warnings'))).toBeDefined()
    expect(lines.some((l) => l.startsWith('⚠ Speedup on 2 GPUs'))).toBe(true)
    expect(lines.some((l) => l.includes('Scaling on synth-small') && l.includes('1 GPU: '))).toBe(true)
    expect(lines.some((l) => l.startsWith('   report: ') && l.includes('latest-bench.md'))).toBe(true)
  })
  it('keeps complete:false when the run was interrupted', async () => {
    const { reporter, store, latest } = await setup()
    await store.write(buildScalingCase({ gpuCounts: [1], repeats: 1 }))
    await reporter.onTestRunEnd([], [], 'interrupted')
    expect((await latest()).complete).toBe(false)
  })
  it('turns a failed test that never reached the store, and unhandled errors, into failed cases', async () => {
    const { reporter, latest, lines } = await setup()
    await reporter.onTestCaseResult(fakeTestCase({ id: 't2', name: 'scaling > 2 GPUs', state: 'failed', caseId: 'scaling-2', errors: ['pipeline exited 4'] }))
    await reporter.onTestRunEnd([], [{ message: 'worker crashed' } as never], 'failed')
    const report = await latest()
    expect(report.summary).toMatchObject({ status: 'fail', failed: 2 })
    expect(report.cases.map((c) => [c.id, c.error])).toEqual(
      expect.arrayContaining([
        ['scaling-2', 'pipeline exited 4'],
        ['vitest:unhandled-errors', 'worker crashed'],
      ]),
    )
    expect(lines[1]).toMatch(/^❌ virnucpro bench: fail/)
  })
  it('cross-checks tests that name a case the store lacks', async () => {
    const { reporter, lines } = await setup()
    await reporter.onTestCaseResult(fakeTestCase({ id: 't3', name: 'throughput', state: 'passed', caseId: 'missing-case' }))
    await reporter.onTestRunEnd([], [], 'passed')
    expect(lines).toContain('⚠ test "throughput" reported case missing-case, which is not in the case store')
  })
  it('lists a skipped bench that never reached the store as a skipped case with its reason; not skipped unit tests', async () => {
    const { reporter, latest } = await setup()
    await reporter.onTestCaseResult(fakeTestCase({ id: 't4', name: 'real sample end to end on 4 GPUs > 4 GPUs (skipped: this machine has 0)', state: 'skipped', file: 'benches/real-sample.bench.ts' }))
    await reporter.onTestCaseResult(fakeTestCase({ id: 't5', name: 'some unit test', state: 'skipped', file: 'plugin/x.test.ts' }))
    await reporter.onTestRunEnd([], [], 'passed')
    const report = await latest()
    expect(report.summary).toMatchObject({ status: 'pass', skipped: 1, cases: 1 })
    expect(report.cases[0]).toMatchObject({ id: 'real-sample-bench-ts--real-sample-end-to-end-on-4-gpus', title: 'real sample end to end on 4 GPUs', skipReasons: ['4 GPUs: this machine has 0'] })
  })
  it('reports that nothing ran when there are no cases', async () => {
    const { reporter, latest, lines } = await setup()
    await reporter.onTestRunEnd([], [], 'passed')
    expect((await latest()).cases).toEqual([])
    expect(lines).toContain('   nothing ran: no case reached the case store')
  })
})
