/**
 * Every option of virnucproHarness() reaches the code that uses it: each test resolves a configuration and checks the
 * consumer receives the value (the `repeats` and `freshVanilla` options are also proven end to end, in
 * harness-run.e2e.test.ts).
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../config/resolve-config.ts'
import type { Environment, PythonInfo } from '../model/environment.ts'
import { buildEnvironment, buildScalingCase } from '../test-support/builders.ts'
import { harnessGpus } from '../vitest/plugin.ts'
import { startRunsHousekeeping } from '../vitest/runs-housekeeping.ts'
import { repeatsFor } from './benchmarks.ts'
import { CaseSession } from './case-session.ts'
import { HarnessServices } from './harness-services.ts'
import { committed } from './samples.ts'
import { LocalLauncher } from '../pipeline/launchers/local.ts'
import { SlurmLauncher } from '../pipeline/launchers/slurm.ts'

const PY: PythonInfo = { executable: '/usr/bin/python3', version: '3.11', torch: '2.11', cudaAvailable: false, cudaVersion: null, deviceCount: 0 }
const ENV: Environment = buildEnvironment()

function services(options: Parameters<typeof resolveConfig>[0], gpus: number[] = []): HarnessServices {
  return new HarnessServices(resolveConfig(options, {}), gpus, 'session-1')
}

describe('every option takes effect', () => {
  it('target: the case runs the configured system under test', () => {
    expect(services({}).caseTarget().target.kind).toBe('reference')
    const real = services({ target: { kind: 'virnucpro', repoDir: '/opt/v', modelType: '300' } }).caseTarget()
    expect(real.target).toMatchObject({ kind: 'virnucpro', chunkLength: 300 })
    const tiny = services({ target: { kind: 'reference', modelSize: 'tiny', seed: 7 } }).caseTarget()
    expect(tiny.seed).toBe(7)
    expect(tiny.shapes).toEqual(services({ target: { kind: 'reference', modelSize: 'tiny' } }).caseTarget().shapes)
    expect(tiny.shapes).not.toEqual(services({ target: { kind: 'reference', modelSize: 'full' } }).caseTarget().shapes)
  })

  it('python: the configured interpreter is the one probed first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'python-option-'))
    const fake = join(dir, 'python')
    // A stand-in that answers the locator's probe as a Python with torch would, under a name no real Python has.
    await writeFile(fake, `#!/bin/sh\necho '${JSON.stringify({ ...PY, executable: fake })}'\n`)
    await chmod(fake, 0o755)
    // Its own runsDir: the session and probe caches of other runs must not answer for it.
    expect((await services({ python: fake, runsDir: join(dir, 'runs') }).python()).executable).toBe(fake)
  })

  it('gpus: the listed GPUs, without asking nvidia-smi; auto asks it', async () => {
    const detect = async (): Promise<{ index: number }[]> => [{ index: 0 }, { index: 1 }, { index: 2 }]
    expect(await harnessGpus(resolveConfig({ gpus: [2, 3] }, {}), () => Promise.reject(new Error('must not detect')))).toEqual([2, 3])
    expect(await harnessGpus(resolveConfig({}, {}), detect)).toEqual([0, 1, 2])
  })

  it('sampleIntervalMs, timeoutSeconds, killGraceSeconds, leftoverGraceSeconds, progress, runsDir: what the runner is given', () => {
    const s = services({ sampleIntervalMs: 750, timeoutSeconds: 9, killGraceSeconds: 3, leftoverGraceSeconds: 1.5, progress: 'off', runsDir: 'elsewhere/runs' })
    expect(s.runOptions(PY, ENV)).toEqual({ runsDir: resolve('elsewhere/runs'), timeoutSeconds: 9, sampleIntervalMs: 750, progress: 'off', killGraceSeconds: 3, leftoverGraceSeconds: 1.5, python: PY, environment: ENV, launcher: expect.any(LocalLauncher) })
    expect(s.samplePlace).toEqual({ onGpu: false, cacheDir: resolve('elsewhere/runs') })
  })

  it('launcher: the runner is given a Slurm launcher when asked, and GPU slots come from the compute nodes', async () => {
    expect(services({}).runOptions(PY, ENV).launcher).toBeInstanceOf(LocalLauncher)
    expect(services({ launcher: { kind: 'slurm', gpusPerNode: 2 } }).runOptions(PY, ENV).launcher).toBeInstanceOf(SlurmLauncher)
    // The login node's nvidia-smi is never asked: the slots are the compute nodes'.
    const never = async (): Promise<{ index: number }[]> => Promise.reject(new Error('nvidia-smi asked'))
    expect(await harnessGpus(resolveConfig({ launcher: { kind: 'slurm', gpusPerNode: 2 } }, {}), never)).toEqual([0, 1])
  })

  it('retention: the housekeeping applies the configured bound to runsDir', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'retention-option-'))
    // Three finished successful runs, oldest first; keepRuns: 1 keeps only the newest.
    for (const [i, name] of ['2026-01-01T00-00-00-000Z-a', '2026-01-02T00-00-00-000Z-b', '2026-01-03T00-00-00-000Z-c'].entries()) {
      await mkdir(join(runsDir, name), { recursive: true })
      await writeFile(join(runsDir, name, 'command.json'), '{}')
      await writeFile(join(runsDir, name, 'result.json'), JSON.stringify({ outcome: 'succeeded', endedAtMs: 1_000 + i }))
    }
    const config = resolveConfig({ runsDir, reportsDir: join(runsDir, 'reports'), retention: { keepRuns: 1 } }, {})
    await startRunsHousekeeping(config, () => undefined)
    expect((await readdir(runsDir)).filter((n) => n.startsWith('2026'))).toEqual(['2026-01-03T00-00-00-000Z-c'])
  })

  it('reportsDir: where the case store is', () => {
    expect(services({ reportsDir: 'elsewhere/reports' }).store.dir).toBe(join(resolve('elsewhere/reports'), '.cases', 'session-1'))
  })

  it('strict: what the benchmarks check after each run', () => {
    const spec = { title: 't', kind: 'scaling' as const, file: '/x/benches/a.bench.ts', sample: committed('fixtures/samples/synth-tiny-fixed500-s42.fa') }
    expect(new CaseSession(spec, services({ strict: true })).strict).toBe(true)
    expect(new CaseSession(spec, services({})).strict).toBe(false)
  })

  it('thresholds: what a case is evaluated against', () => {
    const scaling = buildScalingCase({ gpuCounts: [1, 2], efficiency: 0.8, repeats: 1 })
    const strictBand = services({ thresholds: { speedup: { '2': { min: 1.95 } } } }).evaluate(scaling, undefined)
    const looseBand = services({ thresholds: { speedup: { '2': { min: 1.1 } } } }).evaluate(scaling, undefined)
    expect(strictBand.warnings.map((w) => w.metric)).toContain('speedup.2gpu')
    expect(looseBand.warnings.map((w) => w.metric)).not.toContain('speedup.2gpu')
  })

  it('repeats: the runs each benchmark declares, unless the case sets its own', () => {
    expect(repeatsFor({}, resolveConfig({ repeats: 3 }, {}))).toBe(3)
    expect(repeatsFor({}, resolveConfig({}, { BENCH_REPEATS: '4' }))).toBe(4)
    expect(repeatsFor({ repeats: 2 }, resolveConfig({ repeats: 3 }, {}))).toBe(2)
  })

  it('freshVanilla: off unless asked for, by option or VALIDATE_FRESH_VANILLA', () => {
    expect(resolveConfig({}, {}).freshVanilla).toBe(false)
    expect(resolveConfig({ freshVanilla: true }, {}).freshVanilla).toBe(true)
    expect(resolveConfig({}, { VALIDATE_FRESH_VANILLA: '1' }).freshVanilla).toBe(true)
  })

  it('covers every option of the schema', async () => {
    const text = await readFile(new URL(import.meta.url), 'utf8')
    for (const key of Object.keys(resolveConfig({}, {}))) expect(text, `no test names the option ${key}`).toMatch(new RegExp(`it\\('[^']*\\b${key}\\b`))
  })
})
