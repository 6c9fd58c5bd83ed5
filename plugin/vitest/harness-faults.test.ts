/**
 * The harness killed or interrupted for real: a child `vitest` runs the reference pipeline on CPU (two worker
 * processes, hanging in NUCLEOTIDE_FEATURES) and the test sends SIGINT, SIGTERM or SIGKILL to the Vitest main
 * process or to the worker that runs the pipeline. Afterwards no process of the run may be alive (checked in /proc
 * within 10 s) and the report must be valid and say "interrupted". Every test SIGKILLs what it started, even on
 * failure, and each is bounded by its timeout.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { parseReport, type Report } from '../report/schema.ts'
import { killEverythingUnder, liveProcessesUnder, waitUntilNoneAlive } from '../pipeline/testing/process-table.ts'
import { createChildProject, HANG_TEST, killChildVitest, QUICK_TEST, startChildVitest, waitForHangingRun, type ChildProject, type ChildVitest } from './testing/child-vitest.ts'

const root = mkdtempSync(path.join(tmpdir(), 'harness-faults-'))
const projects: ChildProject[] = []
const vitests: ChildVitest[] = []
const TIMEOUT_MS = 150_000

afterEach(() => {
  for (const v of vitests.splice(0)) killChildVitest(v)
  for (const p of projects.splice(0)) killEverythingUnder(p.runsDir)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

function project(): ChildProject {
  const p = createChildProject(root)
  projects.push(p)
  return p
}

function start(p: ChildProject, mode: 'run' | 'bench', env: Record<string, string> = {}): ChildVitest {
  const v = startChildVitest(p, mode, env)
  vitests.push(v)
  return v
}

/** The suite's own latest report: `vitest run` writes latest-test.json, `vitest bench` latest-bench.json. */
function latestReport(p: ChildProject, suite: 'test' | 'bench' = 'bench'): Report {
  const name = `latest-${suite}.json`
  return parseReport(JSON.parse(readFileSync(path.join(p.reportsDir, name), 'utf8')), name)
}

async function ended(v: ChildVitest, ms: number): Promise<void> {
  if (v.child.exitCode !== null || v.child.signalCode !== null) return
  await Promise.race([once(v.child, 'exit'), new Promise((_, reject) => setTimeout(() => reject(new Error(`vitest still running ${ms} ms later:\n${v.output().slice(-2000)}`)), ms))])
}

/** Seconds from the signal to the last process of the run gone, printed for the record. */
async function expectNothingLeft(p: ChildProject, what: string, signalledAt: number): Promise<void> {
  const took = await waitUntilNoneAlive(p.runsDir, 10_000)
  expect(took, `${what}: still alive 10 s later: ${liveProcessesUnder(p.runsDir).join(' ')}`).not.toBeNull()
  console.log(`${what}: last pipeline process gone ${((Date.now() - signalledAt) / 1000).toFixed(1)} s after the signal`)
}

describe('signals to the Vitest main process', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the run ends, the report is written at once and says interrupted', async (signal) => {
    const p = project()
    const v = start(p, 'run')
    await waitForHangingRun(p, v)
    const at = Date.now()
    process.kill(v.pgid, signal) // the main process only: a CI cancel or `kill`, not a terminal's Ctrl-C to the group
    await expectNothingLeft(p, `${signal} to vitest`, at)
    await ended(v, 15_000)
    const report = latestReport(p, 'test')
    expect(report.summary.status).toBe('interrupted')
    expect(report.complete).toBe(false)
    expect(report.interruption?.signal).toBe(signal)
    // What the main process knew when the signal came: the worker reports test starts and results in throttled
    // batches, so under load the latest batch may not have arrived (then both lists are shorter). What it lists is
    // never wrong: the hanging test is never "finished", and only the quick one can be.
    expect(report.interruption?.finished.every((f) => f === `${QUICK_TEST}: passed`)).toBe(true)
    expect(report.interruption?.running.every((r) => r === HANG_TEST)).toBe(true)
  }, TIMEOUT_MS)

  it('SIGKILL: the lifeline ends the run; the next `vitest bench` reports the abandoned run once and leaves nothing', async () => {
    const p = project()
    const v = start(p, 'run')
    const hanging = await waitForHangingRun(p, v)
    const at = Date.now()
    process.kill(-v.pgid, 'SIGKILL') // main and workers at once, as a scheduler's pre-emption does
    await expectNothingLeft(p, 'SIGKILL to vitest (main and workers)', at)
    expect(existsSync(path.join(hanging.runDir, 'result.json'))).toBe(false)
    // The last live rewrite is all there is: it must not read as a pass.
    if (existsSync(path.join(p.reportsDir, 'latest-test.json'))) expect(latestReport(p, 'test').summary.status).toBe('running')

    const next = start(p, 'bench')
    await ended(next, 90_000)
    expect(next.output()).toContain(`run(s) of an earlier harness that ended without finishing them`)
    expect(next.output()).toContain(hanging.runDir)
    const report = latestReport(p)
    expect(report.abandonedRuns.map((r) => r.runDir)).toEqual([hanging.runDir])
    expect(existsSync(path.join(hanging.runDir, 'abandoned.json'))).toBe(true)
    expect(liveProcessesUnder(p.runsDir)).toEqual([])
  }, TIMEOUT_MS)

  it('SIGKILL to the main process alone: its forked worker lives on, but the run still ends', async () => {
    const p = project()
    const v = start(p, 'run')
    await waitForHangingRun(p, v)
    const at = Date.now()
    process.kill(v.pgid, 'SIGKILL')
    await expectNothingLeft(p, 'SIGKILL to the vitest main process', at)
  }, TIMEOUT_MS)
})

describe('signals to the worker that runs the pipeline', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('%s: the run ends and the report says interrupted', async (signal) => {
    const p = project()
    const v = start(p, 'run')
    const hanging = await waitForHangingRun(p, v)
    const at = Date.now()
    process.kill(hanging.workerPid, signal)
    await expectNothingLeft(p, `${signal} to the vitest worker`, at)
    await ended(v, 30_000)
    const report = latestReport(p, 'test')
    expect(report.summary.status).toBe('interrupted')
  }, TIMEOUT_MS)
})

describe('BENCH_TIMEOUT_S', () => {
  it('ends the whole group and records the run as timed out', async () => {
    const p = project()
    const v = start(p, 'run', { BENCH_TIMEOUT_S: '10' })
    await waitForHangingRun(p, v)
    await ended(v, 60_000)
    expect(liveProcessesUnder(p.runsDir)).toEqual([])
    const report = latestReport(p, 'test')
    const run = report.cases.flatMap((c) => c.runs)[0]
    expect(run?.outcome).toBe('timed-out')
    expect(run?.outcomeDescription).toMatch(/^timed out after 10 s; the process group was stopped/)
    expect(report.complete).toBe(true)
  }, TIMEOUT_MS)
})
