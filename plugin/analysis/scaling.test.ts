import { describe, expect, it } from 'vitest'
import { buildRun, buildScalingCase } from '../test-support/builders.ts'
import { analyseScaling } from './scaling.ts'

describe('analyseScaling', () => {
  const scalingCase = buildScalingCase({ gpuCounts: [1, 2, 4], repeats: 3, efficiency: 0.95 })
  const analysis = analyseScaling(scalingCase.id, scalingCase.runs, [8])

  it('has one point per GPU count with the median wall time of its repeats', () => {
    expect(analysis.points.map((p) => p.gpus)).toEqual([1, 2, 4])
    const one = analysis.points[0]
    expect(one?.runs).toBe(3)
    expect(one?.wallSeconds.value).toBeCloseTo(105, 6)
    expect(one?.wallSeconds.spread).toBeCloseTo(0.4 / 105, 6)
  })
  it('computes speedup T1/Tn and efficiency S/n', () => {
    const two = analysis.points[1]
    const t2 = 20 + 80 / 1.9 + 5
    expect(two?.speedup).toBeCloseTo(105 / t2, 6)
    expect(two?.efficiency).toBeCloseTo(105 / t2 / 2, 6)
    expect(analysis.points[0]?.speedup).toBe(1)
  })
  it('computes throughput per stage and ORF frames per second', () => {
    const one = analysis.points[0]
    const esm = one?.stages.find((s) => s.stage === 'PROTEIN_FEATURES')
    expect(esm?.recordsPerSecond).toBeCloseTo(8000 / 60, 6)
    expect(one?.sequencesPerSecond).toBeCloseTo(8000 / 105, 6)
  })
  it('reports per-stage-group speedups (ESM-2 scales, CPU stages do not)', () => {
    const esm2 = analysis.groupSpeedups.find((g) => g.group === 'esm' && g.gpus === 2)
    const translation2 = analysis.groupSpeedups.find((g) => g.group === 'translation' && g.gpus === 2)
    expect(esm2?.speedup).toBeCloseTo(1.9, 6)
    expect(translation2?.speedup).toBeCloseTo(1, 6)
  })
  it('reads embedding utilisation, memory and energy per sequence from the telemetry', () => {
    const four = analysis.points[2]
    expect(four?.embeddingUtilisationPercent).toBe(85)
    expect(four?.samplingIntervalMs).toBe(500)
    expect(four?.perGpu.map((g) => g.gpu)).toEqual([0, 1, 2, 3])
    expect(four?.memoryPeakMiB).toBe(40000)
    expect(four?.energyJPerSequence).toBeGreaterThan(0)
  })
  it('fits Amdahl and projects 8 GPUs', () => {
    expect(analysis.amdahl?.projections.map((p) => p.gpus)).toEqual([8])
    expect(analysis.amdahl?.serialFraction).toBeGreaterThan(0)
  })
  it('leaves utilisation null, with the reason, when telemetry is unavailable', () => {
    const runs = [buildRun({ gpuCount: 1, utilisationPercent: null })]
    const point = analyseScaling('c', runs).points[0]
    expect(point?.embeddingUtilisationPercent).toBeNull()
    expect(point?.utilisationNote).toMatch(/nvidia-smi not found/)
    expect(point?.memoryPeakMiB).toBeNull()
  })
  it('ignores failed runs', () => {
    const runs = [buildRun({ gpuCount: 1 }), buildRun({ gpuCount: 2, outcome: 'out-of-memory' })]
    expect(analyseScaling('c', runs).points.map((p) => p.gpus)).toEqual([1])
  })
})
