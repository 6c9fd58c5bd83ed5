/**
 * The lifeline: a pipeline run (with its worker) ends when the harness that started it ends, however it ends; the
 * next harness run finds what a killed one left and ends it. Every test is bounded and kills what it started.
 */
import { execa, type ResultPromise } from 'execa'
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { collectAbandonedRuns, formatAbandonedRuns } from './stale-runs.ts'
import { SupervisorStatusSchema, SUPERVISOR_SCRIPT, type SupervisorStatus } from './supervisor.ts'
import { FAKE_PIPELINE, FIXTURES_DIR } from './testing/fake-target.ts'
import { killEverythingUnder, liveProcessesOfRun, liveProcessesUnder, waitUntilNoneAlive } from './testing/process-table.ts'
import { groupMembers } from './process-identity.ts'
import { setTimeout as sleep } from 'node:timers/promises'

const REPO = path.resolve(FIXTURES_DIR, '../../..')
const root = mkdtempSync(path.join(tmpdir(), 'lifeline-test-'))
const started: ResultPromise[] = []
let counter = 0

function freshDir(): string {
  return mkdtempSync(path.join(root, `case-${counter++}-`))
}

afterEach(() => {
  // Whatever a failed assertion left: every run under the test root, then the processes we spawned ourselves.
  killEverythingUnder(root)
  for (const child of started.splice(0)) child.kill('SIGKILL')
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

function statusOf(file: string): SupervisorStatus {
  return SupervisorStatusSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
}

/** Starts supervisor.py directly with a pipe as its stdin (the lifeline), like the runner does. */
function supervise(dir: string, args: string[], fakeArgs: string[], stdin: 'pipe' | 'ignore' = 'pipe') {
  const status = path.join(dir, 'supervisor.json')
  const child = execa('python3', [SUPERVISOR_SCRIPT, '--status', status, ...args, '--', 'python3', FAKE_PIPELINE, path.join(dir, 'out'), ...fakeArgs], { stdin, reject: false, detached: true, cleanup: false })
  started.push(child)
  return { child, status }
}

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(50)
  }
}

async function pipelineUp(status: string, stderrWorker?: () => string): Promise<SupervisorStatus> {
  await until('the pipeline to start', () => existsSync(status) && statusOf(status).pipeline !== null && (stderrWorker === undefined || /worker pid \d+/.test(stderrWorker())))
  return statusOf(status)
}

describe('supervisor.py', () => {
  it('stops the whole group (worker included) when the lifeline closes, and records why', async () => {
    const dir = freshDir()
    let stderr = ''
    const { child, status } = supervise(dir, ['--grace', '5'], ['--hang-at', 'CHUNKING', '--worker'])
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    const up = await pipelineUp(status, () => stderr)
    const pgid = up.pipeline?.pgid ?? 0
    expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(2)
    const closedAt = Date.now()
    child.stdin?.end() // what the kernel does when the harness dies
    const result = await child
    const goneAfterMs = Date.now() - closedAt
    expect(groupMembers(pgid)).toEqual([])
    expect(goneAfterMs).toBeLessThan(5000)
    const final = statusOf(status)
    expect(final.stop?.reason).toBe('lifeline closed (owner ended)')
    expect(final.stop?.killed).toBe(false)
    expect(final.exit?.signal).toBe('SIGTERM')
    expect(result.exitCode).toBe(128 + 15)
  })

  it('SIGKILLs a group that ignores SIGTERM once the grace period is over', async () => {
    const dir = freshDir()
    const { child, status } = supervise(dir, ['--grace', '1'], ['--hang-at', 'CHUNKING', '--ignore-sigterm'])
    const up = await pipelineUp(status)
    // The fake ignores SIGTERM from before it writes its state file on.
    await until('the fake to ignore SIGTERM', () => existsSync(path.join(dir, 'out', '.checkpoints', 'pipeline_state.json')))
    child.kill('SIGTERM') // a harness timeout, or scancel
    await child
    const final = statusOf(status)
    expect(final.stop).toMatchObject({ reason: 'received SIGTERM', killed: true })
    expect((final.stop?.killedAtMs ?? 0) - (final.stop?.atMs ?? 0)).toBeGreaterThanOrEqual(1000)
    expect(final.exit?.signal).toBe('SIGKILL')
    expect(groupMembers(up.pipeline?.pgid ?? 0)).toEqual([])
  })

  it('passes the exit code through and records spawn and exit times', async () => {
    const dir = freshDir()
    const { child, status } = supervise(dir, ['--grace', '1'], ['--exit', '4'])
    const result = await child
    expect(result.exitCode).toBe(4)
    const final = statusOf(status)
    expect(final.exit?.code).toBe(4)
    expect(final.stop).toBeNull()
    expect(final.supervisor.startTime).not.toBeNull()
    expect(final.pipeline?.startTime).not.toBeNull()
    expect(final.exit?.atMs ?? 0).toBeGreaterThanOrEqual(final.pipeline?.spawnedAtMs ?? Infinity)
  })

  it('says which command could not be started (exit 127)', async () => {
    const dir = freshDir()
    const status = path.join(dir, 'supervisor.json')
    const result = await execa('python3', [SUPERVISOR_SCRIPT, '--grace', '1', '--status', status, '--', '/nonexistent/python3', '-V'], { reject: false })
    expect(result.exitCode).toBe(127)
    expect(statusOf(status).error).toBe('could not start /nonexistent/python3: No such file or directory')
  })

  it('stops the run when a watched process ends, and runs free with --lifeline none', async () => {
    const dir = freshDir()
    const watched = execa('sleep', ['1'], { reject: false })
    const { child, status } = supervise(dir, ['--grace', '1', '--watch-pid', String(watched.pid)], ['--hang-at', 'CHUNKING'])
    await child
    expect(statusOf(status).stop?.reason).toBe(`watched process ${watched.pid} is gone`)
    const free = supervise(freshDir(), ['--grace', '1', '--lifeline', 'none'], ['--stage-seconds', '0.01'], 'ignore')
    expect((await free.child).exitCode).toBe(0)
  })
})

/** A harness (runPipeline in its own Node process) running the fake pipeline; resolves once the pipeline is up. */
async function startHarness(runsDir: string, fakeArgs: string[]): Promise<{ harness: ResultPromise; runDir: string }> {
  const harness = execa('node', ['--import', 'tsx', path.join(REPO, 'plugin/pipeline/testing/harness-child.ts'), runsDir, ...fakeArgs], { cwd: REPO, reject: false, cleanup: false, stdin: 'ignore' })
  started.push(harness)
  let out = ''
  harness.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  await until('the harness to start its pipeline', () => /started (\S+)/.test(out), 60_000)
  const runDir = /started (\S+)/.exec(out)?.[1] ?? ''
  await until('the worker', () => existsSync(path.join(runDir, 'stderr.log')) && /worker pid/.test(readFileSync(path.join(runDir, 'stderr.log'), 'utf8')))
  return { harness, runDir }
}

describe('the lifeline through runPipeline', () => {
  it('SIGKILL of the harness ends the pipeline and its worker within seconds; the next run reports the folder once', async () => {
    const runsDir = freshDir()
    const { harness, runDir } = await startHarness(runsDir, ['--hang-at', 'PROTEIN_FEATURES', '--worker'])
    expect(liveProcessesOfRun(runDir).length).toBeGreaterThanOrEqual(3) // supervisor, pipeline, worker
    harness.kill('SIGKILL')
    await once(harness, 'exit')
    const tookMs = await waitUntilNoneAlive(runsDir, 10_000)
    expect(tookMs, `still alive 10 s after SIGKILL: ${liveProcessesUnder(runsDir).join(' ')}`).not.toBeNull()
    console.log(`lifeline: last process of the run gone ${tookMs} ms after the harness was SIGKILLed`)
    expect(existsSync(path.join(runDir, 'result.json'))).toBe(false)
    // The lifeline's EOF and the parent-death SIGTERM race when the owner dies; either way the supervisor stopped the run.
    expect(statusOf(path.join(runDir, 'supervisor.json')).stop?.reason).toMatch(/^(lifeline closed \(owner ended\)|received SIGTERM)$/)

    const abandoned = await collectAbandonedRuns(runsDir)
    expect(abandoned.map((a) => a.runDir)).toEqual([runDir])
    expect(abandoned[0]?.note).toMatch(/^the pipeline was killed by SIGTERM after the supervisor stopped it \((lifeline closed \(owner ended\)|received SIGTERM)\)/)
    expect(formatAbandonedRuns(abandoned)).toContain(runDir)
    expect(await collectAbandonedRuns(runsDir)).toEqual([]) // said once
  })

  it('ends what is left when harness and supervisor were both killed (a pipeline that ignores SIGTERM survives them)', async () => {
    const runsDir = freshDir()
    const { harness, runDir } = await startHarness(runsDir, ['--hang-at', 'CHUNKING', '--worker', '--ignore-sigterm'])
    const status = statusOf(path.join(runDir, 'supervisor.json'))
    process.kill(status.supervisor.pid, 'SIGKILL')
    harness.kill('SIGKILL')
    await once(harness, 'exit')
    await sleep(500)
    const survivors = liveProcessesOfRun(runDir)
    expect(survivors.length).toBeGreaterThanOrEqual(2) // the leader ignored its parent-death SIGTERM; the worker lives on
    const abandoned = await collectAbandonedRuns(runsDir)
    expect(abandoned).toHaveLength(1)
    expect(abandoned[0]?.endedPids).toEqual(expect.arrayContaining(survivors))
    expect(liveProcessesOfRun(runDir)).toEqual([])
  })
})
