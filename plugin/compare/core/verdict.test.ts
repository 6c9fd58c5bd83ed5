import { describe, expect, it } from 'vitest'
import type { PredictionRow } from '../../io/tsv/rows.ts'
import { compareConsensus } from './consensus-stats.ts'
import { chunkIdOf } from './ids.ts'
import { finding } from './findings.ts'
import { comparisonOptions } from './options.ts'
import { comparePredictions } from './prediction-stats.ts'
import { checkComparable } from './run-config.ts'
import { TensorAccumulator } from './tensor-accumulator.ts'
import { decideVerdict, type VerdictInput } from './verdict.ts'

const options = comparisonOptions()
const pred = (id: string, p: number): PredictionRow => ({ sequenceId: id, prediction: p >= 0.5 ? 'virus' : 'others', score1: 1 - p, score2: p })
const frames = (n: number, flip = 0): [PredictionRow[], PredictionRow[]] => {
  const ref = Array.from({ length: n }, (_, i) => pred(`s${i}_chunk_1F1`, 0.8))
  const cand = ref.map((r, i) => (i < flip ? pred(r.sequenceId, 0.2) : r))
  return [cand, ref]
}

function input(perturb: number, flips = 0, n = 2000): VerdictInput {
  const acc = new TensorAccumulator('dnabert', options.rtol, options.atol)
  const v = Array.from({ length: 768 }, (_, i) => Math.sin(i) + 2)
  acc.add('s0_chunk_1F1', v.map((x, i) => (i === 5 ? x + perturb : x)), v)
  const [c, r] = frames(n, flips)
  const consensus = compareConsensus(
    c.map((x) => ({ modifiedId: x.sequenceId.slice(0, -2), isVirus: x.prediction === 'virus' })),
    r.map((x) => ({ modifiedId: x.sequenceId.slice(0, -2), isVirus: x.prediction === 'virus' })),
  )
  return { tensors: [acc.stats()], predictions: comparePredictions(c, r, options.scoreAtol), consensus, integrity: [], options }
}

describe('decideVerdict', () => {
  it('passes when everything is within tolerance and labels agree', () => {
    const v = decideVerdict(input(1e-6))
    expect(v.verdict).toBe('pass')
    expect(v.firstDivergingStage).toBeNull()
  })

  it('warns on a tolerance miss within numerical variance and names the first diverging stage', () => {
    const v = decideVerdict(input(0.05))
    expect(v.verdict).toBe('warn')
    expect(v.firstDivergingStage).toBe('dnabert')
    expect(v.findings.map((f) => f.code)).toContain('numerical-variance')
    const first = v.findings.find((f) => f.code === 'first-divergence')
    expect(first?.message).toMatch(/DNABERT-S: 1 of 768 elements .* worst s0_chunk_1F1\[5\]/)
    expect(v.findings.find((f) => f.code === 'label-flips')?.message).toMatch(/0 flips of 2000/)
  })

  it('warns with 1 flip in 2000 (99.95 % ≥ 99.9 %) and fails with 3 (99.85 %)', () => {
    const one = decideVerdict(input(0, 1))
    expect(one.verdict).toBe('warn')
    expect(one.firstDivergingStage).toBe('predictions')
    const three = decideVerdict(input(0, 3))
    expect(three.verdict).toBe('fail')
    expect(three.findings.find((f) => f.code === 'tolerance')?.message).toMatch(/label agreement 99.85 % < 99.9 %/)
  })

  describe('borderline label flips (bf16 against fp32 moves scores; a frame at 0.5 may flip)', () => {
    // 95 frames drifting by up to 0.016 (as on the H200), `flip` of them sitting `margin` from the boundary and flipping.
    function nearBoundary(flip: number, margin: number, opts = options): VerdictInput {
      const ref = Array.from({ length: 95 }, (_, i) => pred(`s${i}_chunk_1F1`, i < flip ? 0.5 + margin : 0.8))
      const cand = ref.map((r, i) => pred(r.sequenceId, i < flip ? 0.5 - margin : i === 50 ? 0.816 : 0.8))
      const label = (rows: PredictionRow[]) => rows.map((x) => ({ modifiedId: chunkIdOf(x.sequenceId), isVirus: x.prediction === 'virus' }))
      const predictions = comparePredictions(cand, ref, opts.scoreAtol, chunkIdOf)
      const consensus = compareConsensus(label(cand), label(ref), predictions.borderlineChunks)
      return { tensors: [], predictions, consensus, integrity: [], options: opts }
    }

    it('counts one flip of a frame the reference scored within the observed drift of 0.5 as numerical variance', () => {
      const v = decideVerdict(nearBoundary(1, 0.007))
      expect(v.verdict).toBe('warn')
      expect(v.findings.find((f) => f.code === 'borderline-flips')?.message).toMatch(/1 \(e.g. s0_chunk_1F1\) of 1 label flip\(s\) are borderline: the reference scored them at most 0.007.* from 0.5, within 0.016.*counted as numerical variance/)
      expect(v.findings.find((f) => f.code === 'numerical-variance')?.message).toMatch(/1 borderline flip\(s\) excused/)
    })

    it('fails a flip of a frame far from the boundary', () => {
      const v = decideVerdict(nearBoundary(1, 0.2))
      expect(v.verdict).toBe('fail')
      expect(v.findings.find((f) => f.code === 'tolerance')?.message).toMatch(/label agreement 98.95 % < 99.9 %/)
    })

    it('stops excusing when borderline flips are not rare, or when told not to', () => {
      const many = decideVerdict(nearBoundary(3, 0.007))
      expect(many.verdict).toBe('fail')
      expect(many.findings.find((f) => f.code === 'borderline-flips')?.message).toMatch(/not excused \(3.16 % of frames > 1 %\)/)
      const strict = decideVerdict(nearBoundary(1, 0.007, comparisonOptions({ borderlineFlipsAreVariance: false })))
      expect(strict.verdict).toBe('fail')
    })
  })

  it('fails when a vector falls below the cosine floor', () => {
    const v = decideVerdict(input(100))
    expect(v.verdict).toBe('fail')
    expect(v.findings.find((f) => f.code === 'tolerance')?.message).toMatch(/DNABERT-S: 1 of 1 vectors \(100\.00 %\) below cosine 0\.999, min 0\.\d+, fewer than 95 % reach 0\.999, below the floor 0\.99/)
  })

  it('always fails on an integrity finding, even when the numbers agree', () => {
    const base = input(0)
    const v = decideVerdict({ ...base, integrity: [finding('fail', 'merged-rows-mismatch', 'merged file output_1_merged.pt has 3 ids but 0 rows')] })
    expect(v.verdict).toBe('fail')
    expect(v.findings[0]?.message).toMatch(/0 rows/)
  })

  it('fails when reference rows are missing from the candidate', () => {
    const [c, r] = frames(10)
    const v = decideVerdict({ ...input(0), predictions: comparePredictions(c.slice(2), r, 1e-4) })
    expect(v.verdict).toBe('fail')
    expect(v.findings.find((f) => f.code === 'reference-missing-ids')?.message).toMatch(/^2 \(e.g. s0_chunk_1F1, s1_chunk_1F1\) reference frame/)
  })

  it('fails on NaN in the candidate', () => {
    const acc = new TensorAccumulator('esm', 1e-3, 1e-5)
    acc.add('x', [Number.NaN, 1], [0, 1])
    const v = decideVerdict({ ...input(0), tensors: [acc.stats()] })
    expect(v.verdict).toBe('fail')
    expect(v.firstDivergingStage).toBe('esm')
  })

  it('honours configured thresholds', () => {
    const loose = comparisonOptions({ rtol: 0.1, atol: 0.1 })
    const acc = new TensorAccumulator('merged', loose.rtol, loose.atol)
    acc.add('x', [1.05], [1])
    expect(decideVerdict({ tensors: [acc.stats()], predictions: null, consensus: null, integrity: [], options: loose }).verdict).toBe('pass')
    expect(() => comparisonOptions({ rtol: -1 })).toThrow(/invalid comparison options/)
  })
})

describe('checkComparable', () => {
  it('refuses different chunk lengths or models and names both', () => {
    const r = checkComparable({ chunkLength: 500, model: '/a/500_model.pth' }, { chunkLength: 300, model: '300_model.pth' })
    expect(r.comparable).toBe(false)
    if (!r.comparable) expect(r.reason).toMatch(/chunk length 500 vs 300, model '\/a\/500_model.pth' vs '300_model.pth'.*§6.8/)
  })

  it('compares model files by name and reports unknowns', () => {
    expect(checkComparable({ chunkLength: 500, model: '/x/500_model.pth' }, { chunkLength: 500, model: '500_model.pth' })).toEqual({ comparable: true, unknown: [] })
    expect(checkComparable({ chunkLength: null, model: 'm' }, { chunkLength: 500, model: 'm' })).toEqual({ comparable: true, unknown: ['chunk length'] })
  })
})
