/**
 * Faults around a run that must not take the harness down: the GPU sampler dying mid-run, a state file that is
 * half-written and not JSON while it is watched, a log line of several MB with invalid UTF-8. Each run is bounded
 * by its own timeout, and the afterEach kills anything a failed test left.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { captureEnvironment } from '../env/capture-environment.ts'
import type { Environment } from '../model/environment.ts'
import { runPipeline, type RunOptions } from './run-pipeline.ts'
import { FAKE_NVIDIA_SMI, fakeRequest, FakeTarget, TEST_PYTHON } from './testing/fake-target.ts'
import { killEverythingUnder, liveProcessesUnder } from './testing/process-table.ts'

let runsDir: string
let environment: Environment

beforeAll(async () => {
  runsDir = mkdtempSync(path.join(tmpdir(), 'run-faults-'))
  environment = await captureEnvironment(null)
})
afterEach(() => killEverythingUnder(runsDir))
afterAll(() => rmSync(runsDir, { recursive: true, force: true }))

function options(extra: Partial<RunOptions> = {}): RunOptions {
  return { runsDir, timeoutSeconds: 60, sampleIntervalMs: 100, progress: 'off', python: TEST_PYTHON, environment, statePollMs: 50, nvidiaSmi: '/nonexistent/nvidia-smi', ...extra }
}

describe('the supervisor does not change what is measured', () => {
  it('takes wall time from the pipeline\'s spawn to its exit, as the supervisor saw them (not its own start-up)', async () => {
    const result = await runPipeline(new FakeTarget(), fakeRequest(['--stage-seconds', '0.02']), options())
    const status = JSON.parse(readFileSync(path.join(result.runDir, 'supervisor.json'), 'utf8')) as { supervisor: { startedAtMs: number }; pipeline: { spawnedAtMs: number }; exit: { atMs: number } }
    expect(result.startedAtMs).toBe(status.pipeline.spawnedAtMs)
    expect(result.endedAtMs).toBe(status.exit.atMs)
    expect(result.wallSeconds).toBe((status.exit.atMs - status.pipeline.spawnedAtMs) / 1000)
    expect(status.pipeline.spawnedAtMs).toBeGreaterThanOrEqual(status.supervisor.startedAtMs)
    expect(readFileSync(result.logs.stdout, 'utf8')).toContain('PIPELINE SUMMARY') // output still lands in stdout.log
  })
})

describe('faults during a run', () => {
  it('goes on when the GPU sampler dies mid-run, and says from when samples are missing', async () => {
    // A fake nvidia-smi on PATH that dies after 0.6 s, as a sampler lost to a driver reset would.
    const bin = mkdtempSync(path.join(runsDir, 'bin-'))
    const smi = path.join(bin, 'nvidia-smi')
    writeFileSync(smi, `#!/bin/sh\nFAKE_NVIDIA_SMI_DIE_AFTER_S=0.6 exec python3 ${FAKE_NVIDIA_SMI} "$@"\n`)
    chmodSync(smi, 0o755)
    const result = await runPipeline(new FakeTarget(), fakeRequest(['--stage-seconds', '0.25']), options({ nvidiaSmi: smi }))
    expect(result.outcome).toBe('succeeded')
    if (result.gpu.status !== 'sampled') throw new Error(`expected the samples before the sampler died: ${JSON.stringify(result.gpu)}`)
    const gap = result.gpu.samplingGap
    expect(gap?.reason).toMatch(/^nvidia-smi exited 9 during the run: Unable to determine the device handle/)
    expect(gap?.fromMs).toBeGreaterThan(result.startedAtMs)
    expect(gap?.fromMs).toBeLessThan(result.endedAtMs)
    expect(result.wallSeconds).toBeGreaterThan(1.5) // nine stages of 0.25 s ran on after the sampler died at 0.6 s
  })

  it('treats a state file that is half-written and not JSON as absent: no crash, stages from the log', async () => {
    const result = await runPipeline(new FakeTarget(), fakeRequest(['--stage-seconds', '0.05', '--garbage-state']), options())
    expect(result.outcome).toBe('succeeded')
    expect(readFileSync(path.join(result.outputDir, '.checkpoints', 'pipeline_state.json'), 'utf8')).toContain('garbage')
    expect(result.stages).toHaveLength(9)
    expect(result.stages.every((s) => s.source === 'log' && s.status === 'completed')).toBe(true)
    expect(result.counts.predictions).toBe(2500)
  })

  it('parses a log with an 8 MB line and invalid UTF-8 without crashing, and still reads every stage', async () => {
    const result = await runPipeline(new FakeTarget(), fakeRequest(['--huge-line-mb', '8']), options())
    expect(result.outcome).toBe('succeeded')
    expect(result.stages.every((s) => s.status === 'completed')).toBe(true)
    expect(result.pipelineWallSeconds).not.toBeNull()
    expect(readFileSync(result.logs.stdout).length).toBeGreaterThan(8 * 2 ** 20)
  })

  it('records a timeout as timed out, with the whole group (worker included) ended', async () => {
    const result = await runPipeline(new FakeTarget(), fakeRequest(['--hang-at', 'NUCLEOTIDE_FEATURES', '--worker']), options({ timeoutSeconds: 1.5 }))
    expect(result.outcome).toBe('timed-out')
    expect(liveProcessesUnder(runsDir)).toEqual([])
    const saved = JSON.parse(readFileSync(path.join(result.runDir, 'result.json'), 'utf8')) as { outcome: string }
    expect(saved.outcome).toBe('timed-out')
    const status = JSON.parse(readFileSync(path.join(result.runDir, 'supervisor.json'), 'utf8')) as { stop: { reason: string } }
    expect(status.stop.reason).toBe('received SIGTERM')
  })
})
