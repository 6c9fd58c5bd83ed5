// The Slurm launcher against a real Slurm (the one-node cluster of scripts/slurm/start-local-cluster.sh, which
// .ci/run starts and sets SLURM_TEST_CLUSTER=1 for). Skipped, with the reason, when no cluster is up.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveConfig } from '../../config/resolve-config.ts'
import { captureEnvironment } from '../../env/capture-environment.ts'
import { locatePython } from '../../env/locate-python.ts'
import { RunResultSchema } from '../../model/run-result.ts'
import { parseReport } from '../../report/schema.ts'
import { REFERENCE_PIPELINE_DIR, REPO_ROOT, ReferenceTarget } from '../reference-target.ts'
import { runPipeline } from '../run-pipeline.ts'
import type { RunRequest } from '../target.ts'
import { JOB_LEDGER_FILE } from '../slurm/job-ledger.ts'
import { SlurmLauncher } from './slurm.ts'

const SAMPLE = path.join(REPO_ROOT, 'fixtures', 'samples', 'synth-tiny-fixed500-s42.fa')
const RUN_ON_SLURM = path.join(REPO_ROOT, 'plugin', 'pipeline', 'launchers', 'testing', 'run-on-slurm.ts')

function clusterMissing(): string | null {
  if (process.env.SLURM_TEST_CLUSTER !== '1') return 'no Slurm test cluster (start scripts/slurm/start-local-cluster.sh, export its SLURM_CONF and SLURM_TEST_CLUSTER=1; .ci/run does)'
  try {
    execFileSync('sinfo', ['--noheader'], { stdio: 'ignore', timeout: 15_000 })
    return null
  } catch {
    return 'SLURM_TEST_CLUSTER=1 but sinfo cannot reach a controller'
  }
}
const missing = clusterMissing()

// With SLURM_TEST_CLUSTER=1 (CI) a cluster that is not up is a failure, not a quiet skip.
describe.runIf(process.env.SLURM_TEST_CLUSTER === '1')('Slurm test cluster', () => {
  it('is reachable', () => {
    expect(missing).toBeNull()
  })
})
const runsDir = mkdtempSync(path.join(tmpdir(), 'slurm-runs-'))
afterAll(() => rmSync(runsDir, { recursive: true, force: true }))

/** Jobs the controller still has queued or running (plain squeue lists only those). */
function queue(): string[] {
  return execFileSync('squeue', ['--noheader', '-o', '%i %T'], { encoding: 'utf8' }).split('\n').filter((l) => l.trim() !== '')
}

async function referenceRun(gpus: number, inject: string[] = [], nvidiaSmi?: string, timeoutSeconds = 300) {
  const python = await locatePython(undefined)
  const config = resolveConfig({ launcher: { kind: 'slurm' } }, {})
  if (config.launcher.kind !== 'slurm') throw new Error('unreachable')
  const req: RunRequest = { sample: { name: 'synth-tiny', path: SAMPLE }, outputDir: '', mode: 'optimised', gpus: Array.from({ length: gpus }, (_, i) => i), chunkLength: 500, seed: 42, inject, keepIntermediate: true, extraArgs: [] }
  // device cpu: the fake GPUs are /dev/null; Slurm allocates them, the tiny model runs on the node's CPU.
  const target = new ReferenceTarget({ modelSize: 'tiny', device: 'cpu' })
  return runPipeline(target, req, { runsDir, timeoutSeconds, sampleIntervalMs: 500, progress: 'off', python, environment: await captureEnvironment(python), killGraceSeconds: 5, launcher: new SlurmLauncher(config.launcher, { pollMs: 500 }), ...(nvidiaSmi === undefined ? {} : { nvidiaSmi }) })
}

/** Starts run-on-slurm.ts (a harness of its own) and returns it with a way to wait for its job id. */
function harness(gpus: number, command: string[]) {
  // node --import tsx, not the tsx wrapper: one process, so SIGKILL kills the harness itself.
  const child = spawn(process.execPath, ['--import', 'tsx', RUN_ON_SLURM, runsDir, String(gpus), ...command], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TEST_KILL_GRACE_S: '5' } })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr.on('data', (c: Buffer) => (out += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, output: () => out }
}

function ledgerJobIds(): Set<string> {
  const ids = new Set<string>()
  for (const name of readdirSync(runsDir)) {
    const file = path.join(runsDir, name, JOB_LEDGER_FILE)
    if (existsSync(file)) ids.add((JSON.parse(readFileSync(file, 'utf8')) as { jobId: string }).jobId)
  }
  return ids
}

describe.skipIf(missing !== null || !existsSync(REFERENCE_PIPELINE_DIR))(`pipeline runs as Slurm jobs${missing === null ? '' : ` — skipped: ${missing}`}`, () => {
  it('a job asking for 2 of the fake GPUs gets them: CUDA_VISIBLE_DEVICES has two indices, the result names job and node', async () => {
    const result = await referenceRun(2)
    expect(result.outcome, result.outcomeDescription).toBe('succeeded')
    expect(RunResultSchema.parse(result)).toEqual(result)
    const s = result.scheduler
    expect(s?.jobId).toMatch(/^\d+$/)
    expect(s?.nodeName).toBe(hostname().split('.')[0])
    expect(s?.request).toContain('--gres=gpu:2')
    // The environment is the compute node's, as the job recorded it.
    expect(result.environment.host).toBe(s?.nodeName)
    expect(s?.request).toContain('--exclusive')
    expect(s?.cudaVisibleDevices?.split(',')).toHaveLength(2)
    expect(s?.usedGpus).toHaveLength(2)
    // --exclusive gives the whole node; the pipeline still sees only the two it asked for.
    expect(s?.allocatedGpus.length).toBeGreaterThanOrEqual(2)
    expect(s?.endSource).toBe('job-record')
    expect(s?.queueSeconds).toBeGreaterThanOrEqual(0)
    // Run time is the pipeline's own on the node: queue time is not in it.
    expect(result.wallSeconds).toBeLessThanOrEqual((result.endedAtMs - (s?.submittedAtMs ?? 0)) / 1000)
    expect(result.stages.every((st) => st.status === 'completed')).toBe(true)
    expect(result.gpu.status).toBe('unavailable')
    if (result.gpu.status === 'unavailable') expect(result.gpu.reason).toMatch(/nvidia-smi not found on/)
  })

  it("the GPU sampler runs inside the job: the node's nvidia-smi samples (a stand-in here) reach the run's telemetry", async () => {
    const result = await referenceRun(1, [], path.join(REPO_ROOT, 'plugin', 'pipeline', 'fixtures', 'fake_nvidia_smi.py'))
    expect(result.outcome, result.outcomeDescription).toBe('succeeded')
    expect(result.gpu.status).toBe('sampled')
    if (result.gpu.status === 'sampled') expect(result.gpu.source).toBe('nvidia-smi (compute node)')
    expect(existsSync(path.join(result.runDir, 'gpu-samples.csv'))).toBe(true)
    expect(existsSync(path.join(result.runDir, 'gpu-timeline.arrow'))).toBe(true)
    expect(result.environment.gpus.map((g) => g.uuid)).toEqual(['GPU-aaaa', 'GPU-bbbb'])
  })

  it('a job that fails (crash-at:PREDICTION) is reported with its cause', async () => {
    const result = await referenceRun(1, ['crash-at:PREDICTION'])
    expect(result.outcome).toBe('failed')
    expect(result.outcomeDescription).toBe('exit 1: failed (an exception in the pipeline)')
    expect(readFileSync(result.logs.stderr, 'utf8')).toMatch(/Injected fault crash-at:PREDICTION/)
    expect(result.stages.find((st) => st.stage === 'FEATURE_MERGING')?.status).toBe('completed')
    expect(result.stages.find((st) => st.stage === 'PREDICTION')?.status).toBe('in_progress')
    expect(result.exitCode).toBe(1)
    expect(result.scheduler).toMatchObject({ state: 'FAILED', endSource: 'job-record' })
  })

  it('a request for more GPUs than a node has is reported as not schedulable, not as a pipeline failure', async () => {
    const before = queue().length
    const result = await referenceRun(64)
    expect(result.outcome).toBe('not-scheduled')
    expect(result.outcomeDescription).toMatch(/Slurm cannot run this request \(64 GPU\(s\), --nodes=1 --ntasks=1 --gres=gpu:64.*Requested node configuration is not available/)
    expect(result.exitCode).toBeNull()
    expect(result.scheduler).toMatchObject({ jobId: null, state: 'REFUSED', endSource: 'sbatch' })
    expect(queue()).toHaveLength(before)
  })

  it('a run that outlives the timeout is stopped: the job is signalled, then cancelled, and leaves the queue', async () => {
    const result = await referenceRun(0, ['hang-at:FEATURE_MERGING'], undefined, 20)
    expect(result.outcome).toBe('timed-out')
    expect(result.stages.find((st) => st.stage === 'PROTEIN_FEATURES')?.status).toBe('completed')
    expect(queue().filter((l) => l.startsWith(`${result.scheduler?.jobId ?? '-'} `))).toEqual([])
  })

  it('Ctrl-C to the harness during a running job leaves squeue empty within 30 s', async () => {
    const h = harness(1, ['bash', '-c', 'echo started; sleep 600'])
    let jobId: string | undefined
    for (let i = 0; i < 120 && jobId === undefined; i++) {
      await sleep(500)
      const running = queue().find((l) => l.endsWith('RUNNING'))
      jobId = running === undefined ? undefined : [...ledgerJobIds()].find((id) => running.startsWith(`${id} `))
    }
    expect(jobId, `no job of ours started running:\n${h.output()}`).toBeDefined()
    const t0 = Date.now()
    h.child.kill('SIGINT')
    while (queue().length > 0 && Date.now() - t0 < 30_000) await sleep(250)
    const seconds = (Date.now() - t0) / 1000
    expect(queue(), `still queued ${seconds} s after SIGINT`).toEqual([])
    expect(seconds).toBeLessThan(30)
    await h.exited
    const result = RunResultSchema.parse(JSON.parse(readFileSync(path.join(runsDir, readdirSync(runsDir).find((d) => existsSync(path.join(runsDir, d, JOB_LEDGER_FILE)) && readFileSync(path.join(runsDir, d, JOB_LEDGER_FILE), 'utf8').includes(`"${jobId}"`)) ?? '', 'result.json'), 'utf8')))
    expect(result.outcome).toBe('interrupted')
    expect(result.scheduler?.jobId).toBe(jobId)
  })

  it('a harness killed outright leaves a job that the next harness reports (and cancels) as left behind', async () => {
    const h = harness(0, ['bash', '-c', 'sleep 600'])
    let ids = new Set<string>()
    const known = ledgerJobIds()
    for (let i = 0; i < 120; i++) {
      await sleep(500)
      ids = new Set([...ledgerJobIds()].filter((id) => !known.has(id)))
      if (ids.size > 0 && queue().some((l) => l.endsWith('RUNNING'))) break
    }
    const [orphan] = [...ids]
    expect(orphan, h.output()).toBeDefined()
    h.child.kill('SIGKILL')
    await h.exited
    expect(queue().some((l) => l.startsWith(`${orphan} `))).toBe(true)
    // The next harness: its first run reports the job and cancels it.
    const next = await referenceRun(0, ['crash-at:CHUNKING'])
    const finding = next.logFindings.find((f) => f.code === 'slurm-job-left-behind')
    expect(finding?.message).toMatch(new RegExp(`Slurm job ${orphan} .* still queued or running: cancelled it`))
    for (let i = 0; i < 40 && queue().some((l) => l.startsWith(`${orphan} `)); i++) await sleep(250)
    expect(queue().filter((l) => l.startsWith(`${orphan} `))).toEqual([])
  })
})

/** `vitest bench` in a process of its own (CI's `npm test` runs no benches): the two bench files, through Slurm. */
function benchThroughSlurm(files: string[], env: Record<string, string>, config?: string): Promise<{ code: number | null; output: string }> {
  const vitest = path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs')
  const child = spawn(process.execPath, [vitest, 'bench', '--run', ...(config === undefined ? ['--project', 'benches'] : ['--config', config]), ...files], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })))
}

describe.skipIf(missing !== null)(`bench cases through Slurm${missing === null ? '' : ` — skipped: ${missing}`}`, () => {
  it('stage throughput and scaling run as Slurm jobs; the report has the local shape plus job ids and node names', async () => {
    // 0 GPUs per node: the fake GPUs cannot run CUDA, so the cases take their CPU path, each run a Slurm job.
    const { code, output } = await benchThroughSlurm(['benches/stage-throughput.bench.ts', 'benches/scaling.bench.ts'], { BENCH_LAUNCHER: 'slurm', BENCH_SLURM_GPUS_PER_NODE: '0', BENCH_PROGRESS: 'plain' })
    expect(code, output.slice(-3000)).toBe(0)
    const jsonPath = /json:\s+(\S+-bench\.json)/.exec(output)?.[1]
    expect(jsonPath, output.slice(-3000)).toBeDefined()
    const report = parseReport(JSON.parse(readFileSync(path.resolve(REPO_ROOT, jsonPath ?? ''), 'utf8')), jsonPath ?? '')
    const kinds = report.cases.map((c) => c.kind).sort()
    expect(kinds).toEqual(['scaling', 'throughput'])
    for (const c of report.cases) {
      expect(c.status, c.error ?? '').toBe('ok')
      expect(c.runs.length).toBeGreaterThan(0)
      for (const run of c.runs) {
        expect(run.outcome).toBe('succeeded')
        expect(run.scheduler?.jobId).toMatch(/^\d+$/)
        expect(run.scheduler?.nodeName).toBe(hostname().split('.')[0])
        expect(run.scheduler?.queueSeconds).toBeGreaterThanOrEqual(0)
      }
    }
    expect(queue()).toEqual([])
  })

  it('with launcher.concurrent, the GPU counts of a scaling case are submitted together and the report says so', async () => {
    const { code, output } = await benchThroughSlurm([], {}, 'plugin/pipeline/launchers/testing/slurm-matrix.config.ts')
    expect(code, output.slice(-3000)).toBe(0)
    const jsonPath = /json:\s+(\S+-bench\.json)/.exec(output)?.[1] ?? ''
    const report = parseReport(JSON.parse(readFileSync(path.resolve(REPO_ROOT, jsonPath), 'utf8')), jsonPath)
    const runs = report.cases[0]?.runs ?? []
    expect(runs.map((r) => r.gpuCount).sort()).toEqual([1, 2])
    const [a, b] = runs
    expect(a?.scheduler?.concurrentWith).toEqual([b?.scheduler?.jobId])
    expect(b?.scheduler?.concurrentWith).toEqual([a?.scheduler?.jobId])
    // Both were queued at once: the second was submitted before the first ended.
    expect(Math.max(a?.scheduler?.submittedAtMs ?? 0, b?.scheduler?.submittedAtMs ?? 0)).toBeLessThan(Math.min(a?.endedAtMs ?? 0, b?.endedAtMs ?? 0))
    expect(runs.map((r) => r.scheduler?.cudaVisibleDevices?.split(',').length).sort()).toEqual([1, 2])
    const markdown = readFileSync(path.resolve(REPO_ROOT, jsonPath.replace(/\.json$/, '.md')), 'utf8')
    expect(markdown).toMatch(/submitted together with job\(s\) \d+/)
  })
})
