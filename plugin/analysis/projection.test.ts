import { describe, expect, it } from 'vitest'
import { DEFAULT_THRESHOLDS } from '../model/thresholds.ts'
import { buildCase, buildRun, buildScalingCase } from '../test-support/builders.ts'
import { projectRealSample, type ManifestLike } from './projection.ts'
import { analyseScaling } from './scaling.ts'

const manifest: ManifestLike = { name: 'real-1M', sequenceCount: 1_000_000, length: { mean: 150 } }
const base = { caseId: 'c', manifest, measuredMeanLength: null, measuredIsRealSample: false, target: DEFAULT_THRESHOLDS.realSampleHours }

describe('projectRealSample', () => {
  it('projects from per-group throughput: overhead + N × per-sequence cost', () => {
    const scaling = analyseScaling('c', [buildRun({ gpuCount: 1 })])
    const { projections } = projectRealSample(scaling, base)
    const one = projections.find((p) => p.gpus === 1)
    // 100 s of stages for 2000 inputs → 0.05 s per input, plus 5 s start-up.
    expect(one?.seconds).toBeCloseTo(5 + 1_000_000 * 0.05, 6)
    expect(one?.basis).toMatch(/^projected \(measured throughput at 1 GPU/)
    expect(one?.inputs.throughputs.find((t) => t.group === 'esm')?.recordsPerInputSequence).toBe(4)
    expect(one?.withinTarget).toBeNull()
  })
  it('separates the model load as a fixed cost', () => {
    const scaling = analyseScaling('c', [buildRun({ gpuCount: 1, modelLoadSeconds: { PROTEIN_FEATURES: 30 } })])
    const one = projectRealSample(scaling, base).projections[0]
    expect(one?.seconds).toBeCloseTo(5 + 30 + 1_000_000 * (70 / 2000), 6)
    expect(one?.inputs.throughputs.find((t) => t.group === 'esm')?.fixedSeconds).toBe(30)
  })
  it('scales per-record cost by the mean-length ratio when the measured length is known', () => {
    const scaling = analyseScaling('c', [buildRun({ gpuCount: 1 })])
    const one = projectRealSample(scaling, { ...base, measuredMeanLength: 500 }).projections[0]
    expect(one?.inputs.lengthFactor).toBeCloseTo(0.3)
    expect(one?.seconds).toBeCloseTo(5 + 1_000_000 * 0.05 * 0.3, 6)
    expect(one?.assumptions.join(' ')).toMatch(/scales linearly with mean length/)
  })
  it('judges the target GPU count against target × (1 + tolerance)', () => {
    const scaling = analyseScaling('c', buildScalingCase({ gpuCounts: [1, 4], repeats: 1 }).runs)
    const four = projectRealSample(scaling, base).projections.find((p) => p.gpus === 4)
    expect(four?.basis).toMatch(/measured throughput at 4 GPU/)
    // one repeat: the builder jitters its start-up overhead to 4.8 s
    expect(four?.hours).toBeCloseTo((4.8 + 1_000_000 * ((20 + 80 / 3.8) / 2000)) / 3600, 6)
    expect(four?.withinTarget).toBe(true)
  })
  it('projects an unmeasured target count through the Amdahl fit, saying so', () => {
    const scaling = analyseScaling('c', buildScalingCase({ gpuCounts: [1, 2], repeats: 1 }).runs, [4])
    const four = projectRealSample(scaling, base).projections.find((p) => p.gpus === 4)
    expect(four?.basis).toMatch(/scaled by Amdahl fit, f=0\.\d{3}/)
  })
  it('says why the target count cannot be projected from 1 GPU alone', () => {
    const scaling = analyseScaling('c', [buildRun({ gpuCount: 1 })])
    const { notProjected } = projectRealSample(scaling, base)
    expect(notProjected).toEqual([{ gpus: 4, reason: expect.stringMatching(/4 GPUs not measured and no Amdahl fit/) }])
  })
  it('puts a measured full-sample run beside the projection', () => {
    const c = buildCase({ runs: [buildRun({ gpuCount: 1, sampleName: 'real-1M' })] })
    const scaling = analyseScaling(c.id, c.runs)
    const one = projectRealSample(scaling, { ...base, measuredIsRealSample: true }).projections[0]
    expect(one?.measured?.wallSeconds).toBeCloseTo(105)
  })
})
