import { describe, expect, it } from 'vitest'
import type { PredictionRow } from '../../io/tsv/rows.ts'
import { compareConsensus } from './consensus-stats.ts'
import { chunkIdOf } from './ids.ts'
import { comparePredictions } from './prediction-stats.ts'

const row = (id: string, p1: number): PredictionRow => ({ sequenceId: id, prediction: p1 > 0.5 ? 'virus' : 'others', score1: 1 - p1, score2: p1 })

describe('comparePredictions', () => {
  it('matches rows by id whatever their order', () => {
    const ref = [row('a_chunk_1F1', 0.9), row('b_chunk_1R2', 0.2)]
    const cand = [row('b_chunk_1R2', 0.2), row('a_chunk_1F1', 0.9)]
    const c = comparePredictions(cand, ref, 1e-4)
    expect(c.stats).toEqual({ rows: 2, labelAgreement: 100, labelFlips: 0, borderlineFlips: 0, maxScoreDiff: 0, meanScoreDiff: 0, agreeingMaxScoreDiff: 0 })
    expect(c.missing.count + c.extra.count).toBe(0)
  })

  it('counts label flips, score differences, missing and extra ids', () => {
    const ref = [row('a', 0.9), row('b', 0.49), row('c', 0.1), row('gone', 0.3)]
    const cand = [row('a', 0.9002), row('b', 0.51), row('c', 0.1), row('new', 0.3)]
    const c = comparePredictions(cand, ref, 1e-3)
    expect(c.stats.rows).toBe(3)
    expect(c.stats.labelFlips).toBe(1)
    expect(c.flips.examples).toEqual(['b'])
    expect(c.stats.labelAgreement).toBeCloseTo(200 / 3, 9)
    expect(c.stats.maxScoreDiff).toBeCloseTo(0.02, 9)
    expect(c.stats.meanScoreDiff).toBeCloseTo((0.0002 + 0.02) / 3, 9)
    expect(c.scoresOutside).toBe(1)
    expect(c.missing).toEqual({ count: 1, examples: ['gone'] })
    expect(c.extra).toEqual({ count: 1, examples: ['new'] })
  })

  it('calls a flip borderline only when the reference sat within the agreeing frames\' score drift of 0.5', () => {
    // Agreeing frames drift by up to 0.015; 'near' was 0.01 from the boundary, 'far' 0.2 away.
    const ref = [row('x_chunk_1F1', 0.8), row('near_chunk_2F1', 0.51), row('far_chunk_3R1', 0.7)]
    const cand = [row('x_chunk_1F1', 0.815), row('near_chunk_2F1', 0.495), row('far_chunk_3R1', 0.3)]
    const c = comparePredictions(cand, ref, 1e-4, chunkIdOf)
    expect(c.stats.labelFlips).toBe(2)
    expect(c.stats.agreeingMaxScoreDiff).toBeCloseTo(0.015, 9)
    expect(c.stats.borderlineFlips).toBe(1)
    expect(c.borderline.examples).toEqual(['near_chunk_2F1'])
    expect([...c.borderlineChunks]).toEqual(['near_chunk_2'])
  })

  it('counts non-finite candidate scores separately', () => {
    const c = comparePredictions([{ sequenceId: 'a', prediction: 'others', score1: Number.NaN, score2: Number.NaN }], [row('a', 0.2)], 1e-4)
    expect(c.nonFiniteScores).toBe(1)
    expect(c.stats.meanScoreDiff).toBe(0)
  })
})

describe('compareConsensus', () => {
  it('compares the vanilla 2-column form with the optimised one by id, ignoring order', () => {
    const vanilla = [
      { modifiedId: 'a_chunk_1', isVirus: true },
      { modifiedId: 'b_chunk_1', isVirus: false },
      { modifiedId: 'c_chunk_1', isVirus: true },
    ]
    const optimised = [
      { modifiedId: 'c_chunk_1', isVirus: true, maxScore0: 0.2, maxScore1: 0.9 },
      { modifiedId: 'a_chunk_1', isVirus: false, maxScore0: 0.6, maxScore1: 0.5 },
      { modifiedId: 'b_chunk_1', isVirus: false, maxScore0: 0.9, maxScore1: 0.3 },
    ]
    const c = compareConsensus(optimised, vanilla)
    expect(c.stats).toEqual({ rows: 3, agreement: (200 / 3), disagreements: 1, borderlineDisagreements: 0 })
    expect(c.disagreements.examples).toEqual(['a_chunk_1'])
  })

  it('marks disagreements on chunks that had a borderline flip', () => {
    const ref = [{ modifiedId: 'a_chunk_1', isVirus: true }, { modifiedId: 'b_chunk_1', isVirus: true }]
    const cand = [{ modifiedId: 'a_chunk_1', isVirus: false }, { modifiedId: 'b_chunk_1', isVirus: false }]
    const c = compareConsensus(cand, ref, new Set(['b_chunk_1']))
    expect(c.stats).toMatchObject({ disagreements: 2, borderlineDisagreements: 1 })
    expect(c.borderline.examples).toEqual(['b_chunk_1'])
  })

  it('strips only a real frame tag from an ORF id', () => {
    expect(chunkIdOf('seq_chunk_1R2')).toBe('seq_chunk_1')
    expect(chunkIdOf('seq_chunk_12F3')).toBe('seq_chunk_12')
    expect(chunkIdOf('seq_chunk_1')).toBe('seq_chunk_1')
  })
})
