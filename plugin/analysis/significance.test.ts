import { describe, expect, it } from 'vitest'
import { bootstrapMedianRatio, mannWhitneyU, normalCdf, testDifference } from './significance.ts'

describe('normalCdf', () => {
  it('matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5)
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5)
  })
})

describe('mannWhitneyU', () => {
  it('exact p for completely separated samples (5 vs 5): 2/252', () => {
    const result = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    expect(result.method).toBe('exact')
    expect(result.u).toBe(0)
    expect(result.pValue).toBeCloseTo(2 / 252, 10)
  })
  it('exact p for interleaved samples matches the U table (87 of 252 at U ≤ 10)', () => {
    const result = mannWhitneyU([1, 3, 5, 7, 9], [2, 4, 6, 8, 10])
    expect(result.u).toBe(10)
    expect(result.pValue).toBeCloseTo((2 * 87) / 252, 10)
  })
  it('is symmetric in its arguments', () => {
    const a = [10.1, 10.3, 9.9, 10.0, 10.2, 10.4]
    const b = [11.0, 10.9, 11.3, 10.8, 11.1]
    expect(mannWhitneyU(a, b).pValue).toBeCloseTo(mannWhitneyU(b, a).pValue, 12)
  })
  it('uses the tie-corrected normal approximation when values tie', () => {
    const result = mannWhitneyU([1, 2, 2, 3, 4], [3, 4, 5, 5, 6])
    expect(result.method).toBe('normal-approximation')
    expect(result.u).toBe(2)
    expect(result.pValue).toBeCloseTo(0.03446, 4)
  })
  it('gives p = 1 when every value ties', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5]).pValue).toBe(1)
  })
  it('rejects empty samples', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(/both samples need values/)
  })
})

describe('bootstrapMedianRatio', () => {
  const before = [100, 101, 99, 102, 98, 100]
  const after = [110, 111, 109, 112, 108, 110]
  it('is deterministic for a seed', () => {
    expect(bootstrapMedianRatio(before, after, { seed: 's' })).toEqual(bootstrapMedianRatio(before, after, { seed: 's' }))
  })
  it('brackets the observed ratio and excludes 1 for a clear 10 % slowdown', () => {
    const ci = bootstrapMedianRatio(before, after)
    expect(ci.ratio).toBeCloseTo(1.1, 5)
    expect(ci.low).toBeLessThanOrEqual(ci.ratio)
    expect(ci.high).toBeGreaterThanOrEqual(ci.ratio)
    expect(ci.low).toBeGreaterThan(1)
  })
})

describe('testDifference', () => {
  it('one run on a side: "not testable, 1 vs 1 runs"', () => {
    expect(testDifference([1], [2])).toEqual({ testable: false, method: 'none', reason: 'not testable, 1 vs 1 runs' })
    expect(testDifference([1], [2, 3, 4])).toMatchObject({ testable: false, reason: 'not testable, 1 vs 3 runs' })
  })
  it('2–4 runs a side: the medians must differ by more than both ranges together', () => {
    const apart = testDifference([10, 10.2, 9.9], [12, 12.1, 11.9])
    expect(apart).toMatchObject({ method: 'spread-bound', significant: true })
    if (apart.method === 'spread-bound') expect(apart.spread.bound).toBeCloseTo(0.5)
    expect(testDifference([10, 12, 9], [12, 13.5, 11])).toMatchObject({ method: 'spread-bound', significant: false })
  })
  it('≥ 5 runs a side: separated samples are significant, overlapping ones not', () => {
    const clear = testDifference([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    const noise = testDifference([1, 3, 5, 7, 9], [2, 4, 6, 8, 10])
    expect(clear).toMatchObject({ method: 'rank-test', significant: true })
    expect(noise).toMatchObject({ method: 'rank-test', significant: false })
  })
  it('is deterministic (seeded bootstrap)', () => {
    const a = [10.1, 10.3, 9.9, 10.0, 10.2, 10.4]
    const b = [11.0, 10.9, 11.3, 10.8, 11.1]
    expect(testDifference(a, b)).toEqual(testDifference(a, b))
  })
})
