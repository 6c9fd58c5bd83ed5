import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureEnvironment } from '../env/capture-environment.ts'
import type { Environment, PythonInfo } from '../model/environment.ts'
import { RunResultSchema } from '../model/run-result.ts'
import { contractOutputLayout } from './output-layout.ts'
import { runPipeline, type RunOptions } from './run-pipeline.ts'
import type { CommandSpec, PipelineTarget, PlacedRequest, RunRequest } from './target.ts'

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url))
const FAKE = path.join(FIXTURES, 'fake_pipeline.py')
const PYTHON: PythonInfo = { executable: 'python3', version: '3', torch: 'none', cudaAvailable: false, cudaVersion: null, deviceCount: 0 }

/** The runner only sees the PipelineTarget interface; this one runs the stdlib fake. */
class FakeTarget implements PipelineTarget {
  readonly kind = 'reference'
  readonly name = 'fake'
  readonly chunkLength = 500
  async version(): Promise<string | null> {
    return 'fake-1'
  }
  buildCommand(req: PlacedRequest, python: PythonInfo): CommandSpec {
    return { file: python.executable, args: [FAKE, req.outputDir, ...req.extraArgs], env: { PYTHONUNBUFFERED: '1' }, cwd: FIXTURES }
  }
  outputLayout(outputDir: string, inputPath: string) {
    return contractOutputLayout(outputDir, inputPath, 500)
  }
}

let runsDir: string
let environment: Environment

beforeAll(async () => {
  runsDir = mkdtempSync(path.join(tmpdir(), 'runner-test-'))
  environment = await captureEnvironment(null)
})
afterAll(() => rmSync(runsDir, { recursive: true, force: true }))

function request(extraArgs: string[]): RunRequest {
  return { sample: { name: 'fake-sample', path: '/dev/null' }, mode: 'optimised', gpus: [], chunkLength: 500, seed: 42, inject: [], keepIntermediate: true, extraArgs }
}

function options(extra: Partial<RunOptions> = {}): RunOptions {
  return { runsDir, timeoutSeconds: 60, sampleIntervalMs: 100, progress: 'off', python: PYTHON, environment, killGraceSeconds: 2, statePollMs: 100, nvidiaSmi: '/nonexistent/nvidia-smi', ...extra }
}

function run(extraArgs: string[], extra: Partial<RunOptions> = {}) {
  return runPipeline(new FakeTarget(), request(extraArgs), options(extra))
}

/**
 * Processes still alive whose command line mentions the run's output folder, or the worker the fake reported.
 * Zombies (state Z) are dead and only wait for an init that may never reap them: they do not count.
 */
function leftovers(outputDir: string, stderrPath: string): string[] {
  const table = execFileSync('ps', ['-eo', 'pid,pgid,stat,args'], { encoding: 'utf8' })
  const worker = /worker pid (\d+)/.exec(readFileSync(stderrPath, 'utf8'))?.[1]
  const { pgid } = JSON.parse(readFileSync(path.join(path.dirname(stderrPath), 'command.json'), 'utf8')) as { pgid: number }
  return table.split('\n').filter((line) => {
    const [pid, group, stat] = line.trim().split(/\s+/)
    if (stat?.startsWith('Z') === true) return false
    return line.includes(outputDir) || (worker !== undefined && pid === worker) || group === String(pgid)
  })
}

describe('runPipeline with the fake pipeline', () => {
  it('records a successful run: stages from the state file, counts and log figures, run directory files', async () => {
    const result = await run(['--stage-seconds', '0.05'])
    expect(RunResultSchema.parse(result)).toEqual(result)
    expect(result.outcome).toBe('succeeded')
    expect(result.outcomeDescription).toBe('exit 0: succeeded')
    expect(result.stages.map((s) => [s.stage, s.status, s.source])).toEqual(
      ['CHUNKING', 'TRANSLATION', 'NUCLEOTIDE_SPLITTING', 'PROTEIN_SPLITTING', 'NUCLEOTIDE_FEATURES', 'PROTEIN_FEATURES', 'FEATURE_MERGING', 'PREDICTION', 'CONSENSUS'].map((s) => [s, 'completed', 'state-file']),
    )
    const state = JSON.parse(readFileSync(path.join(result.outputDir, '.checkpoints', 'pipeline_state.json'), 'utf8')) as { stages: Record<string, { duration_seconds: number }> }
    for (const stage of result.stages) expect(stage.durationSeconds).toBe(state.stages[stage.stage]?.duration_seconds)
    expect(result.counts).toEqual({ inputRecords: 1000, chunks: 1000, orfFrames: 2500, predictions: 2500, consensus: 900 })
    expect(result.stages[7]).toMatchObject({ recordsIn: 2500, recordsOut: 2500 })
    expect(result.stages[5]?.modelLoadSeconds).not.toBeNull()
    expect(result.pipelineWallSeconds).not.toBeNull()
    expect(result.gpu).toEqual({ status: 'unavailable', reason: '/nonexistent/nvidia-smi not found (no NVIDIA driver on this machine)' })
    expect(result.runDir).toMatch(/-fake-sample-optimised-0gpu-[0-9a-f]{6}$/)
    expect(JSON.parse(readFileSync(path.join(result.runDir, 'result.json'), 'utf8'))).toEqual(result)
    expect(existsSync(path.join(result.runDir, 'command.json'))).toBe(true)
    expect(result.outputDir).toBe(path.join(result.runDir, 'out'))
  })

  it("reads the state file where the target's output layout says it is, and nowhere else", async () => {
    class ElsewhereTarget extends FakeTarget {
      override outputLayout(outputDir: string, inputPath: string) {
        return { ...contractOutputLayout(outputDir, inputPath, 500), stateFile: path.join(outputDir, 'not-the-state-file.json') }
      }
    }
    const result = await runPipeline(new ElsewhereTarget(), request(['--stage-seconds', '0.01']), options())
    expect(result.outcome).toBe('succeeded')
    expect(existsSync(path.join(result.outputDir, '.checkpoints', 'pipeline_state.json'))).toBe(true)
    expect(result.stages.some((s) => s.source === 'state-file')).toBe(false)
  })

  it.each([
    [['--exit', '1'], 'failed', 'exit 1: failed (an exception in the pipeline)'],
    [['--exit', '2'], 'partial', 'exit 2: partial success or usage error (ambiguous in VirNucPro)'],
    [['--usage-error'], 'failed', 'exit 2: usage error (bad option or missing input)'],
    [['--exit', '4'], 'out-of-memory', 'exit 4: out of memory'],
    [['--exit', '143'], 'terminated', 'exit 143: terminated (SIGTERM/SIGINT, after the worker grace period)'],
    [['--exit', '7'], 'failed', 'exit 7: failed (unexpected exit code)'],
  ])('maps %j to %s', async (args, outcome, description) => {
    const result = await run(args)
    expect(result.outcome).toBe(outcome)
    expect(result.outcomeDescription).toBe(description)
  })

  it('turns exit 0 with failure lines into partial, but not an ERROR line alone', async () => {
    const result = await run(['--log', 'ValueError: Missing 10577 expected sequences', '--log', 'CRITICAL: Packing efficiency 79.0% < 80%'])
    expect(result.outcome).toBe('partial')
    expect(result.logFindings.map((f) => [f.code, f.severity])).toEqual([
      ['missing-sequences', 'error'],
      ['packing-efficiency', 'warning'],
    ])
    const ok = await run(['--log', 'CRITICAL: Packing efficiency 79.0% < 80%'])
    expect(ok.outcome).toBe('succeeded')
  })

  it('keeps the stages measured before a crash', async () => {
    const result = await run(['--crash-at', 'PREDICTION'])
    expect(result.outcome).toBe('failed')
    expect(result.stages.map((s) => s.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'in_progress', 'not_started'])
    expect(result.stages[7]?.startedAtMs).not.toBeNull()
    expect(result.stages[7]?.completedAtMs).toBeNull()
  })

  it('times out a hung run, stops the whole process group (worker included) and keeps partial stages', async () => {
    const result = await run(['--hang-at', 'PROTEIN_FEATURES', '--worker'], { timeoutSeconds: 2 })
    expect(result.outcome).toBe('timed-out')
    expect(result.outcomeDescription).toMatch(/^timed out after 2 s/)
    expect(result.stages.slice(0, 5).every((s) => s.status === 'completed')).toBe(true)
    expect(result.stages[5]?.status).toBe('in_progress')
    expect(leftovers(result.outputDir, result.logs.stderr)).toEqual([])
    const saved = RunResultSchema.parse(JSON.parse(readFileSync(path.join(result.runDir, 'result.json'), 'utf8')))
    expect(saved.outcome).toBe('timed-out')
  })

  it('aborts on an AbortSignal, and SIGKILLs a group that ignores SIGTERM after the grace period', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 1500)
    const result = await run(['--hang-at', 'CHUNKING', '--worker', '--ignore-sigterm'], { signal: controller.signal, killGraceSeconds: 1 })
    expect(result.outcome).toBe('interrupted')
    expect(result.signal).toBe('SIGKILL')
    expect(result.stages[0]?.status).toBe('in_progress')
    expect(leftovers(result.outputDir, result.logs.stderr)).toEqual([])
  })

  it('stops workers that outlive a finished pipeline past the grace period and names them', async () => {
    const result = await run(['--worker'], { leftoverGraceSeconds: 0.5 })
    expect(result.outcome).toBe('succeeded')
    const finding = result.logFindings.find((f) => f.code === 'leftover-processes')
    expect(finding?.message).toMatch(/still alive 0.5 s after the pipeline exited .*pid \d+ \(.*python.*time\.sleep/)
    expect(result.leftoverProcesses).toHaveLength(1)
    expect(result.leftoverProcesses[0]?.command).toMatch(/while True: time\.sleep\(1\)/)
    expect(result.leftoverProcesses[0]?.ageSeconds).toBeGreaterThan(0)
    expect(leftovers(result.outputDir, result.logs.stderr)).toEqual([])
  })

  it('does not report a helper that exits within the grace period after the parent', async () => {
    const result = await run(['--helper-exits-after', '0.3'], { leftoverGraceSeconds: 3 })
    expect(result.outcome).toBe('succeeded')
    expect(result.logFindings.map((f) => f.code)).not.toContain('leftover-processes')
    expect(result.leftoverProcesses).toEqual([])
  })

  it('samples GPUs through an nvidia-smi stand-in and writes the Arrow timeline', async () => {
    const fakeSmi = path.join(FIXTURES, 'fake_nvidia_smi.py')
    const result = await run(['--stage-seconds', '0.1'], { nvidiaSmi: fakeSmi })
    if (result.gpu.status !== 'sampled') throw new Error(`expected samples: ${JSON.stringify(result.gpu)}`)
    expect(result.gpu.busyGpus).toEqual([0])
    expect(result.gpu.run.perGpu.map((g) => g.gpu)).toEqual([0])
    expect(result.gpu.run.perGpu[0]?.utilisationPercent.mean).toBeGreaterThanOrEqual(60)
    expect(result.gpu.samplerCpuPercent).not.toBeNull()
    const table = tableFromIPC(readFileSync(result.gpu.timelinePath ?? ''))
    expect(table.schema.fields.map((f) => f.name)).toEqual(['timestamp_ms', 'gpu', 'utilisation_pct', 'memory_used_mib', 'memory_total_mib', 'power_w', 'sm_clock_mhz', 'stage'])
    expect(table.numRows).toBeGreaterThanOrEqual(result.gpu.sampleCount)
    const stages = new Set(table.getChild('stage')?.toArray() as (string | null)[])
    expect([...stages].some((s) => s !== null)).toBe(true)
  })
})
