import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recoverSampleProfile } from '../data/sample-profile.ts'
import { DEFAULT_THRESHOLDS } from '../model/thresholds.ts'
import { loadManifestLike } from '../report/load-manifest.ts'
import { loadRuns } from '../report/load-runs.ts'
import { buildRun, buildScalingCase } from '../test-support/builders.ts'
import { calibrationRuns, projectRealSample, projectSample, workFromRunTotals, type ManifestLike } from './projection.ts'
import { fitErrorModel } from './cost-model.ts'
import { sampleWorkFromProfile, targetModel, type SampleWork } from './sample-work.ts'
import { analyseScaling } from './scaling.ts'

const manifest: ManifestLike = { name: 'real-1M', sequenceCount: 1_000_000, length: { mean: 150 }, orfFrames: 794_577, chunkLength: 300 }
const target = DEFAULT_THRESHOLDS.realSampleHours

describe('projectSample', () => {
  it('projects a run onto its own sample as that run’s wall time', () => {
    const run = buildRun({ gpuCount: 1, modelLoadSeconds: { PROTEIN_FEATURES: 30 } })
    const sample = workFromRunTotals(run)
    const [one] = projectSample({ caseId: 'c', calibration: calibrationRuns([run], workFromRunTotals), target: targetModel(run), sample, sequenceCount: 2000, gpus: [1], thresholds: target }).projections
    expect(one?.seconds).toBeCloseTo(run.wallSeconds, 9)
    expect(one?.low).toBeLessThan(run.wallSeconds)
    expect(one?.high).toBeGreaterThan(run.wallSeconds)
    expect(one?.stages.find((s) => s.stage === 'PROTEIN_FEATURES')?.basis).toMatch(/load 30\.00 s measured/)
  })
  it('takes a stage’s load from its `load` phase when the run result has phases (the real tool’s phase split)', () => {
    const run = buildRun({ gpuCount: 1, modelLoadSeconds: { PROTEIN_FEATURES: 30 } })
    const phases = [
      { name: 'model-load' as const, seconds: 12, basis: 'logged' },
      { name: 'inference' as const, seconds: 40, basis: 'logged' },
      { name: 'waiting' as const, seconds: 8, basis: 'logged' },
    ]
    const withPhases = { ...run, stages: run.stages.map((s) => (s.stage === 'PROTEIN_FEATURES' ? { ...s, phases } : s)) }
    const [point] = calibrationRuns([withPhases], workFromRunTotals)
    expect(point?.stages.find((s) => s.stage === 'PROTEIN_FEATURES')?.loadSeconds).toBe(12)
  })
  it('divides the data-parallel stages by the efficiency measured at N, and leaves serial stages as they are', () => {
    const runs = buildScalingCase({ gpuCounts: [1, 4], repeats: 1, efficiency: 0.9 }).runs
    const four = projectSample({
      caseId: 'c',
      calibration: calibrationRuns(runs, workFromRunTotals),
      target: targetModel(runs[0]!),
      sample: workFromRunTotals(runs[0]!),
      sequenceCount: 2000,
      gpus: [4],
      thresholds: null,
    }).projections[0]!
    const measured4 = runs.find((r) => r.gpuCount === 4)!
    expect(four.stages.find((s) => s.stage === 'PROTEIN_FEATURES')?.basis).toMatch(/measured at 4 GPUs: 90 % per-GPU efficiency/)
    expect(four.stages.find((s) => s.stage === 'PROTEIN_FEATURES')?.seconds).toBeCloseTo(60 / (4 * 0.9), 6)
    expect(four.stages.find((s) => s.stage === 'TRANSLATION')?.seconds).toBeCloseTo(3, 6)
    // The calibration is at 1 GPU (start-up 4.8 s there, 5 s at 4 GPUs in the builder's jitter), so not exact.
    expect(four.seconds).toBeCloseTo(measured4.wallSeconds, 0)
  })
  it('uses the Amdahl fit of the measured counts for a count nobody measured', () => {
    const runs = buildScalingCase({ gpuCounts: [1, 2], repeats: 1 }).runs
    const four = projectSample({ caseId: 'c', calibration: calibrationRuns(runs, workFromRunTotals), target: targetModel(runs[0]!), sample: workFromRunTotals(runs[0]!), sequenceCount: 2000, gpus: [4], thresholds: null }).projections[0]!
    expect(four.stages.find((s) => s.stage === 'PROTEIN_FEATURES')?.basis).toMatch(/Amdahl fit of the measured counts \(f=0\.\d{3}\)/)
  })
  it('says a CPU calibration cannot project GPU counts', () => {
    const run = buildRun({ gpuCount: 0 })
    const outcome = projectSample({ caseId: 'c', calibration: calibrationRuns([run], workFromRunTotals), target: targetModel(run), sample: workFromRunTotals(run), sequenceCount: 2000, gpus: [0, 4], thresholds: null })
    expect(outcome.projections.map((p) => p.gpus)).toEqual([0])
    expect(outcome.notProjected).toEqual([{ gpus: 4, reason: expect.stringMatching(/calibrated on CPU runs only/) }])
  })
})

describe('projectRealSample', () => {
  it('projects the example real-sample manifest with its 794,577 frames and says which lengths it assumed', async () => {
    const example = await loadManifestLike('fixtures/samples/manifests/example-real-sample.json')
    const c = buildScalingCase({ gpuCounts: [1, 2, 4], repeats: 1 })
    const { projections } = projectRealSample(analyseScaling(c.id, c.runs), { caseId: c.id, manifest: example, runs: c.runs, measuredIsRealSample: false, target })
    const four = projections.find((p) => p.gpus === 4)!
    expect(four.assumptions[0]).toMatch(/^sample work: 794577 frames, 1000000 input sequences/)
    expect(four.assumptions.join('\n')).toMatch(/no length distribution in the manifest .*: all 794577 frames assumed 50 aa proteins and 150 nt frames/)
    expect(four.verdict).not.toBeNull()
    expect(four.withinTarget).toBe(four.verdict === 'within target')
  })
  it('uses the exact length distribution when the manifest has one, and assumes nothing about lengths', () => {
    const c = buildScalingCase({ gpuCounts: [1], repeats: 1 })
    const work = { chunkLength: 300, chunks: 10, chunksWithOrf: 8, orfFrames: 12, nucleotideLengths: [[148, 4], [151, 8]] as [number, number][], proteinLengths: [[49, 4], [50, 8]] as [number, number][] }
    const { projections } = projectRealSample(analyseScaling(c.id, c.runs), { caseId: c.id, manifest: { ...manifest, work }, runs: c.runs, measuredIsRealSample: false, target })
    expect(projections[0]?.assumptions.join('\n')).not.toMatch(/no length distribution/)
    expect(projections[0]?.assumptions[0]).toMatch(/^sample work: 12 frames/)
  })
  it('puts a measured full-sample run beside the projection', () => {
    const run = buildRun({ gpuCount: 1, sampleName: 'real-1M' })
    const { projections } = projectRealSample(analyseScaling('c', [run]), { caseId: 'c', manifest, runs: [run], measuredIsRealSample: true, target })
    expect(projections[0]?.measured?.wallSeconds).toBeCloseTo(run.wallSeconds)
  })
})

describe('the cost model on the committed H200 runs (docs/results/h200x1-2026-11-29-tuned)', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'projection-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  it('projects each of the four samples from the other three within 10 %', async () => {
    const runs = await loadRuns('docs/results/h200x1-2026-11-29-tuned/20261129-075324-bench.json')
    // The samples are regenerated from their names (seeded synthetic presets; lambda reads from bowtie2-examples).
    const works = new Map<string, SampleWork>()
    for (const run of runs) {
      const profile = await recoverSampleProfile(run.sample, 500, dir)
      if (profile === null) throw new Error(`cannot regenerate ${run.sample.name} (is bowtie2-examples installed?)`)
      works.set(run.sample.name, sampleWorkFromProfile(run.sample.name, profile.inputRecords, profile.bases, profile.work, targetModel(run)))
    }
    const errors = fitErrorModel(calibrationRuns(runs, (run) => works.get(run.sample.name)!)).leaveOneOut
    expect(errors.map((e) => e.sample).sort()).toEqual(['lambda-reads-100', 'lambda-reads-10000', 'synth-large-fixed500-s42', 'synth-typical-contigs-s7'])
    for (const e of errors) expect(Math.abs(e.errorFraction), e.sample).toBeLessThan(0.1)
  })
})
