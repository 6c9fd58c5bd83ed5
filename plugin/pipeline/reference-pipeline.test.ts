/**
 * The runner against the embedded reference pipeline on CPU (tiny models). Skipped, with the reason in the test
 * name, until fixtures/reference-pipeline can run `python -m virnucpro_ref predict`.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { captureEnvironment } from '../env/capture-environment.ts'
import { detectGpus } from '../env/detect-gpus.ts'
import { locatePython } from '../env/locate-python.ts'
import { STAGES } from '../model/stages.ts'
import { REFERENCE_PIPELINE_DIR, REPO_ROOT, ReferenceTarget } from './reference-target.ts'
import { runPipeline } from './run-pipeline.ts'
import type { RunRequest } from './target.ts'

const SAMPLE = path.join(REPO_ROOT, 'fixtures', 'samples', 'synth-tiny-fixed500-s42.fa')
const CLI = path.join(REFERENCE_PIPELINE_DIR, 'virnucpro_ref', 'cli.py')
const missing = !existsSync(CLI) ? `reference pipeline not there yet (${path.relative(REPO_ROOT, CLI)})` : !existsSync(SAMPLE) ? `sample missing (${SAMPLE})` : null

const runsDir = mkdtempSync(path.join(tmpdir(), 'reference-run-'))
afterAll(() => rmSync(runsDir, { recursive: true, force: true }))

function request(inject: string[] = []): RunRequest {
  return { sample: { name: 'synth-tiny-fixed500-s42', path: SAMPLE }, mode: 'optimised', gpus: [], chunkLength: 500, seed: 42, inject, keepIntermediate: true, extraArgs: [] }
}

async function run(inject: string[] = [], timeoutSeconds = 600) {
  const python = await locatePython(undefined)
  const environment = await captureEnvironment(python)
  const target = new ReferenceTarget({ modelSize: 'tiny', device: 'cpu' })
  return runPipeline(target, request(inject), { runsDir, timeoutSeconds, sampleIntervalMs: 500, progress: 'off', python, environment, killGraceSeconds: 5 })
}

describe.skipIf(missing !== null)(`reference pipeline on CPU${missing === null ? '' : ` — skipped: ${missing}`}`, () => {
  it('runs the tiny sample; the stage breakdown matches the pipeline state file', async () => {
    const result = await run()
    expect(result.outcome, result.outcomeDescription).toBe('succeeded')
    const state = JSON.parse(readFileSync(path.join(result.outputDir, '.checkpoints', 'pipeline_state.json'), 'utf8')) as {
      stages: Record<string, { status: string; duration_seconds: number; started_at: string }>
    }
    expect(result.stages.map((s) => s.stage)).toEqual([...STAGES])
    for (const stage of result.stages) {
      const own = state.stages[stage.stage]
      expect(stage.source).toBe('state-file')
      expect(stage.status).toBe(own?.status)
      expect(stage.durationSeconds).toBeCloseTo(own?.duration_seconds ?? -1, 6)
      expect(stage.startedAtMs).toBe(Date.parse(`${own?.started_at ?? ''}Z`))
    }
    expect(result.counts.predictions).toBeGreaterThan(0)
    if ((await detectGpus()).length === 0) expect(result.gpu.status).toBe('unavailable')
    const layout = new ReferenceTarget({ modelSize: 'tiny', device: 'cpu' }).outputLayout(result.outputDir, SAMPLE)
    expect(existsSync(layout.predictions)).toBe(true)
    expect(existsSync(layout.consensus)).toBe(true)
    // The reference logs its phases in the real tool's words, so the same code splits both targets' stages.
    for (const stage of ['NUCLEOTIDE_FEATURES', 'PROTEIN_FEATURES'] as const) {
      const timing = result.stages.find((s) => s.stage === stage)
      expect(timing?.phases.map((p) => p.name), JSON.stringify({ timing, marks: readFileSync(result.logs.stderr, 'utf8').split('\n').filter((l) => l.includes('virnucpro.phases')) })).toContain('inference')
      expect(timing?.phases.every((p) => p.basis === 'logged')).toBe(true)
      // The phases span the state file's timestamps, whose difference can differ from duration_seconds by a few ms.
      expect(timing?.phases.reduce((t, p) => t + p.seconds, 0)).toBeCloseTo(timing?.durationSeconds ?? -1, 1)
    }
    // Its only phase-relevant claim is its precision; nothing it says contradicts what it logs.
    expect(result.claims.filter((c) => c.status === 'contradicted')).toEqual([])
    expect(result.effectiveConfig).toMatchObject({ model: expect.stringMatching(/^500_model\.pth/), chunkLength: 500 })
    expect(result.leftoverProcesses).toEqual([])
    expect(result.logFindings.map((f) => f.code)).not.toContain('leftover-processes')
  })

  it('crash-at:PREDICTION fails with the stages before it measured', async () => {
    const result = await run(['crash-at:PREDICTION'])
    expect(result.outcome).toBe('failed')
    const prediction = result.stages.find((s) => s.stage === 'PREDICTION')
    expect(prediction?.status).toBe('in_progress')
    expect(result.stages.find((s) => s.stage === 'FEATURE_MERGING')?.status).toBe('completed')
  })

  it('hang-at:FEATURE_MERGING times out and leaves no process behind', async () => {
    const result = await run(['hang-at:FEATURE_MERGING'], 25)
    expect(result.outcome).toBe('timed-out')
    expect(result.stages.find((s) => s.stage === 'PROTEIN_FEATURES')?.status).toBe('completed')
    const { pgid } = JSON.parse(readFileSync(path.join(result.runDir, 'command.json'), 'utf8')) as { pgid: number }
    const table = execFileSync('ps', ['-eo', 'pid,pgid,args'], { encoding: 'utf8' })
    expect(table.split('\n').filter((l) => l.includes(result.outputDir) || l.trim().split(/\s+/)[1] === String(pgid))).toEqual([])
  })
})
