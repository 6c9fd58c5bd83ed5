import { describe, expect, it } from 'vitest'
import { fitCostModel, fitErrorComponents, fitErrorModel, MIN_HALF_WIDTH, shapeGroups, predictWall, SINGLE_RUN_HALF_WIDTH, uncertaintyAt, verdict, type CalibrationRun, type CostTerm } from './cost-model.ts'
import { stageWork, targetModel, uniformTokens, type CostStage, type SampleWork } from './sample-work.ts'

const gpuReference = targetModel({ target: { kind: 'reference', name: 'virnucpro_ref', version: null }, mode: 'optimised', device: 'cuda', command: [] })

/** A sample of `frames` frames of one protein length (and the matching nucleotide frame). */
function sample(name: string, inputs: number, frames: number, residues: number): SampleWork {
  return {
    name,
    inputRecords: inputs,
    bases: inputs * 3 * residues,
    chunks: inputs,
    frames,
    tokens: { NUCLEOTIDE_FEATURES: uniformTokens(frames, Math.ceil((3 * residues + 1) / 4) + 2), PROTEIN_FEATURES: uniformTokens(frames, residues + 2) },
    assumptions: [],
  }
}

const SAMPLES = [sample('a', 100, 95, 166), sample('b', 1000, 2300, 50), sample('c', 1000, 3900, 120), sample('d', 10_000, 9500, 166), sample('e', 10_000, 23_000, 40), sample('f', 4000, 4000, 330)]

/** Known coefficients per stage: what the fit must give back. */
const TRUTH: Partial<Record<CostStage, Record<CostTerm, number>>> = {
  PROTEIN_FEATURES: { fixed: 0.3, records: 4e-5, flops: 2.2e-15, batches: 2e-3 },
  NUCLEOTIDE_FEATURES: { fixed: 0.1, records: 6e-5, flops: 2e-15, batches: 1e-3 },
  TRANSLATION: { fixed: 0.05, records: 5e-7, flops: 0, batches: 0 },
  START_UP: { fixed: 5.4, records: 0, flops: 0, batches: 0 },
}
const LOAD: Partial<Record<CostStage, number>> = { NUCLEOTIDE_FEATURES: 1.4 }

function measured(s: SampleWork): CalibrationRun {
  const work = stageWork(s, gpuReference)
  const stages = Object.entries(TRUTH).map(([stage, c]) => {
    const w = work[stage as CostStage]
    const load = LOAD[stage as CostStage] ?? 0
    return { stage: stage as CostStage, seconds: load + c.fixed * w.fixed + c.records * w.records + c.flops * w.flops + c.batches * w.batches, loadSeconds: load }
  })
  return { sample: s.name, gpus: 1, work, wallSeconds: stages.reduce((t, x) => t + x.seconds, 0), repeats: { n: 1, min: null, max: null }, stages }
}

describe('fitCostModel', () => {
  it('recovers the coefficients that generated the stage timings', () => {
    const runs = SAMPLES.map(measured)
    const model = fitCostModel(runs)
    for (const [stage, coefficients] of Object.entries(TRUTH)) {
      const fit = model.stages.find((f) => f.stage === stage)!
      for (const term of fit.terms) expect(fit.coefficients[term] / coefficients[term]).toBeCloseTo(1, 4)
    }
    expect(model.stages.find((f) => f.stage === 'PROTEIN_FEATURES')?.terms).toEqual(['flops', 'fixed', 'records', 'batches'])
    expect(model.stages.find((f) => f.stage === 'START_UP')?.terms).toEqual(['fixed'])
    expect(model.stages.find((f) => f.stage === 'NUCLEOTIDE_FEATURES')?.loadSeconds).toBeCloseTo(1.4, 10)
  })
  it('projects a sample it never saw from the recovered coefficients, and claims only the narrowest interval', () => {
    const runs = SAMPLES.map(measured)
    const unseen = measured(sample('huge', 100_000, 95_000, 166))
    expect(predictWall(fitCostModel(runs), unseen.work) / unseen.wallSeconds).toBeCloseTo(1, 4)
    const uncertainty = uncertaintyAt(fitErrorModel(runs), unseen.wallSeconds)
    expect(uncertainty.halfWidth).toBe(MIN_HALF_WIDTH)
    for (const e of uncertainty.leaveOneOut) expect(Math.abs(e.errorFraction)).toBeLessThan(1e-3)
  })
  it('fits no more terms than the samples can carry: k samples, at most k − 1 terms', () => {
    const model = fitCostModel(SAMPLES.slice(0, 3).map(measured))
    expect(model.stages.find((f) => f.stage === 'PROTEIN_FEATURES')?.terms).toEqual(['flops', 'fixed'])
  })
  it('with one sample reproduces that sample and states the prior interval', () => {
    const one = [measured(SAMPLES[3]!)]
    expect(predictWall(fitCostModel(one), one[0]!.work)).toBeCloseTo(one[0]!.wallSeconds, 9)
    const uncertainty = uncertaintyAt(fitErrorModel(one), one[0]!.wallSeconds)
    expect(uncertainty.halfWidth).toBe(SINGLE_RUN_HALF_WIDTH)
    expect(uncertainty.basis).toMatch(/prior for a model fitted to one sample/)
  })
  it('widens the interval by the spread of repeats', () => {
    const runs = SAMPLES.map(measured).map((r) => ({ ...r, repeats: { n: 3, min: r.wallSeconds * 0.95, max: r.wallSeconds * 1.05 } }))
    expect(uncertaintyAt(fitErrorModel(runs), 100).halfWidth).toBeCloseTo(2 * 0.05, 3)
  })
})

describe('shapeGroups', () => {
  it('puts samples of one length profile together whatever their size, and other profiles apart', () => {
    const groups = shapeGroups([sample('small500', 100, 95, 166), sample('large500', 10_000, 9500, 166), sample('reads', 1000, 2300, 50), sample('long', 4000, 4000, 330)].map(measured))
    expect(groups.get('small500')).toBe(groups.get('large500'))
    expect(new Set(groups.values()).size).toBe(3)
  })
})

describe('the error model', () => {
  // Errors drawn from a known fixed + proportional mix: the split must find both, and the interval must narrow, in
  // relative terms, as the projected time grows (a 10 s sample's start-up noise is not a 10-hour run's).
  const truth = { absoluteSeconds: 0.8, relative: 0.04 }
  const points = Array.from({ length: 400 }, (_, i) => {
    const seconds = 5 * 1.02 ** i
    // Deterministic normal-ish draws: a sum of three scaled sines is bounded and centred, spread fixed below.
    const z = (Math.sin(i * 12.9898) + Math.sin(i * 78.233) + Math.sin(i * 37.719)) / Math.sqrt(1.5)
    return { seconds, error: z * Math.sqrt(truth.absoluteSeconds ** 2 + (truth.relative * seconds) ** 2) }
  })
  it('splits leave-one-out errors into a fixed part (seconds) and a proportional part', () => {
    const fit = fitErrorComponents(points)
    expect(fit.absoluteSeconds / truth.absoluteSeconds).toBeGreaterThan(0.8)
    expect(fit.absoluteSeconds / truth.absoluteSeconds).toBeLessThan(1.25)
    expect(fit.relative / truth.relative).toBeGreaterThan(0.8)
    expect(fit.relative / truth.relative).toBeLessThan(1.25)
  })
  it('claims a narrower relative interval for a longer projection, never under the floor', () => {
    const model = { ...fitErrorComponents(points), basis: 'test', leaveOneOut: [], repeatSpread: null }
    const short = uncertaintyAt(model, 10).halfWidth
    const long = uncertaintyAt(model, 36_000).halfWidth
    expect(short).toBeGreaterThan(long)
    expect(long).toBeCloseTo(Math.max(MIN_HALF_WIDTH, 2 * model.relative), 3)
    expect(uncertaintyAt({ ...model, absoluteSeconds: 0, relative: 0 }, 100).halfWidth).toBe(MIN_HALF_WIDTH)
  })
})

describe('verdict', () => {
  const ceiling = 11 * 3600
  it('decides only when the whole interval is on one side of target × (1 + tolerance)', () => {
    expect(verdict(8.6 * 3600, 9.9 * 3600, ceiling)).toBe('within target')
    expect(verdict(10.5 * 3600, 11.6 * 3600, ceiling)).toBe('undecided')
    expect(verdict(11.2 * 3600, 12 * 3600, ceiling)).toBe('over target')
  })
})
