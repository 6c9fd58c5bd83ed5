import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestCase } from 'vitest/node'
import { afterAll, describe, expect, it } from 'vitest'
import { summariseSuite } from '../analysis/summary.ts'
import { pruneCaseSessions } from '../vitest/runs-housekeeping.ts'
import { CaseStore } from './case-store.ts'
import { writeInterruptedReportSync } from './interrupted-report.ts'
import { renderMarkdown } from './markdown-report.ts'
import { ReportSchema } from './schema.ts'
import { buildCase, buildRun } from '../test-support/builders.ts'
import { HarnessReporter } from '../vitest/harness-reporter.ts'

const dir = mkdtempSync(join(tmpdir(), 'interruption-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function testCase(id: string, name: string, state: 'passed' | 'failed', errors: string[] = []): TestCase {
  return {
    id,
    fullName: name,
    module: { relativeModuleId: 'benches/x.bench.ts' },
    meta: () => ({}),
    result: () => ({ state, errors: errors.map((message) => ({ message })) }),
    annotations: () => [],
  } as unknown as TestCase
}

describe('suite status', () => {
  it('is never a pass while running or after an interruption, even with nothing failed', () => {
    const ok = [{ verdict: { state: 'pass' as const } }]
    expect(summariseSuite(ok, 0, false).status).toBe('pass')
    expect(summariseSuite(ok, 0, false, 'running').status).toBe('running')
    expect(summariseSuite(ok, 0, false, 'interrupted').status).toBe('interrupted')
    expect(summariseSuite([{ verdict: { state: 'fail' as const }, runs: [{ outcome: 'interrupted' }] }], 0, false).status).toBe('interrupted')
  })
})

describe('the interrupted report', () => {
  it('is written synchronously, before any case finished, listing what ran and what had finished', () => {
    const reportsDir = join(dir, 'sync')
    const { report, files } = writeInterruptedReportSync({
      storeDir: join(reportsDir, '.cases', 'none-yet'),
      reportsDir,
      stamp: '20261201-100000',
      suite: 'bench',
      createdAt: '2026-12-01T10:00:00.000Z',
      strict: false,
      config: {},
      interruption: { signal: 'SIGTERM', atMs: Date.parse('2026-12-01T10:00:07Z'), reason: 'the suite received SIGTERM', running: ['scaling > 1 GPU'], finished: [] },
    })
    expect(report.summary.status).toBe('interrupted')
    expect(report.cases).toEqual([])
    const saved = ReportSchema.parse(JSON.parse(readFileSync(join(reportsDir, 'latest-bench.json'), 'utf8')))
    expect(saved.interruption?.running).toEqual(['scaling > 1 GPU'])
    const md = readFileSync(join(reportsDir, 'latest-bench.md'), 'utf8')
    expect(md).toContain('**Status: ⛔ interrupted**')
    expect(md).toContain('## Interrupted\n\nthe suite received SIGTERM at 2026-12-01T10:00:07.000Z (SIGTERM).')
    expect(md).toContain('- scaling > 1 GPU')
    expect(md).not.toContain('✅')
    expect(files).toHaveLength(4)
  })

  it('keeps finished cases and marks the suite interrupted when a worker died mid-test', async () => {
    const reportsDir = join(dir, 'worker')
    const store = CaseStore.forSession(reportsDir, 's')
    await store.write(buildCase({ id: 'done' }))
    const lines: string[] = []
    const reporter = new HarnessReporter({ reportsDir, sessionId: 's', suite: 'test', config: {}, strict: false, log: (l) => lines.push(l) })
    reporter.onTestCaseReady(testCase('a', 'done', 'passed'))
    await reporter.onTestCaseResult(testCase('a', 'done', 'passed'))
    reporter.onTestCaseReady(testCase('b', 'running', 'failed'))
    await reporter.onTestCaseResult(testCase('b', 'running', 'failed', ['[vitest-pool]: Worker forks emitted error.']))
    await reporter.onTestRunEnd([], [], 'failed')
    const saved = ReportSchema.parse(JSON.parse(readFileSync(join(reportsDir, 'latest-test.json'), 'utf8')))
    expect(saved.summary.status).toBe('interrupted')
    expect(saved.interruption?.reason).toBe('a Vitest worker died (killed or crashed) while tests ran')
    expect(saved.interruption?.finished).toEqual(['done: passed', 'running: failed'])
    expect(saved.cases.map((c) => c.id)).toContain('done')
    expect(lines.some((l) => l.startsWith('⛔ virnucpro test: interrupted'))).toBe(true)
  })

  it('says in the method section from when GPU samples are missing', () => {
    const run = buildRun({})
    if (run.gpu.status !== 'sampled') throw new Error('builder gives a sampled run')
    const gapped = { ...run, gpu: { ...run.gpu, samplingGap: { fromMs: run.startedAtMs + 12_000, reason: 'nvidia-smi exited 9 during the run' } } }
    const { report } = writeInterruptedReportSync({
      storeDir: join(dir, 'none'),
      reportsDir: join(dir, 'gap'),
      stamp: 's',
      suite: 'bench',
      createdAt: '2026-12-01T10:00:00.000Z',
      strict: false,
      config: {},
      interruption: { signal: null, atMs: 0, reason: 'x', running: [], finished: [] },
      extraCases: [buildCase({ id: 'gap', runs: [gapped] })],
    })
    expect(renderMarkdown(report, { charts: [], timelines: new Map() })).toContain(`- **GPU samples missing** in run ${run.id} from ${new Date(run.startedAtMs + 12_000).toISOString()} (12.0 s into the run) to its end: nvidia-smi exited 9 during the run`)
  })
})

describe('pruneCaseSessions', () => {
  it('keeps the newest sessions of the case store', async () => {
    const reportsDir = join(dir, 'prune')
    for (const s of ['2026-11-01T00-00-00-000Z-1', '2026-11-02T00-00-00-000Z-2', '2026-11-03T00-00-00-000Z-3']) mkdirSync(join(reportsDir, '.cases', s), { recursive: true })
    expect(await pruneCaseSessions(reportsDir, 2)).toEqual(['2026-11-01T00-00-00-000Z-1'])
    expect(readdirSync(join(reportsDir, '.cases'))).toEqual(['2026-11-02T00-00-00-000Z-2', '2026-11-03T00-00-00-000Z-3'])
  })
})
