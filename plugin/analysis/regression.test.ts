import { describe, expect, it } from 'vitest'
import { compareMemory, compareSpeedupRuns, compareTimes, compareUtilisation } from './regression.ts'

describe('compareTimes: the rule, the floors and the noise', () => {
  it('1 vs 1 runs are never a regression: "not testable, 1 vs 1 runs"', () => {
    const change = compareTimes([10], [12.5])
    expect(change.change).toBeCloseTo(0.25)
    expect(change.verdict).toBe('untestable')
    expect(change.significance).toEqual({ testable: false, method: 'none', reason: 'not testable, 1 vs 1 runs' })
  })
  it('with 2–4 runs a side, a change is beyond noise only past both ranges together', () => {
    expect(compareTimes([10, 10.2, 9.9], [12, 12.1, 11.9]).verdict).toBe('regression') // 2.0 s apart, ranges 0.3 + 0.2
    const noisy = compareTimes([10, 12, 9], [12, 13.5, 11])
    expect(noisy.change).toBeGreaterThan(0.1)
    expect(noisy.verdict).toBe('within-noise') // 2.0 s apart, ranges 3 + 2.5
  })
  it('a significant slowdown with ≥ 5 runs a side is a regression', () => {
    const change = compareTimes([10, 10.1, 9.9, 10, 10.2], [11.5, 11.6, 11.4, 11.7, 11.5])
    expect(change.significance.method).toBe('rank-test')
    expect(change.significance.testable && change.significance.significant).toBe(true)
    expect(change.verdict).toBe('regression')
  })
  it('significant but not wholly past the rule is within noise: a measured A/A pair on this 2-core machine', () => {
    // Two reports of one commit (scripts/aa-check.ts, 2026-12-01): a burst of other load slowed two runs of the second.
    const change = compareTimes([1.82, 1.9, 1.85, 1.81, 1.8], [3.08, 2.93, 1.97, 2.04, 1.91])
    expect(change.change).toBeGreaterThan(0.1)
    expect(change.significance).toMatchObject({ method: 'rank-test', significant: true })
    if (change.significance.method === 'rank-test') expect(change.significance.bootstrap.low).toBeLessThan(1.1)
    expect(change.verdict).toBe('within-noise')
  })
  it('a large but noisy change is within noise when the rank test cannot separate it', () => {
    expect(compareTimes([5, 15, 6, 14, 10], [5.5, 16, 7, 15, 13]).verdict).toBe('within-noise')
  })
  it('a significant change under the rule is unchanged', () => {
    expect(compareTimes([10, 10.01, 10.02, 10.03, 10.04], [10.5, 10.51, 10.52, 10.53, 10.54]).verdict).toBe('unchanged')
  })
  it('floors: a timing under 0.5 s, or a change under 0.2 s, is never a regression', () => {
    expect(compareTimes([0.0, 0.0, 0.0, 0.0, 0.0], [0.01, 0.01, 0.01, 0.01, 0.01]).verdict).toBe('below-floor')
    expect(compareTimes([1, 1, 1, 1, 1.01], [1.15, 1.15, 1.15, 1.15, 1.16]).verdict).toBe('below-floor')
    expect(compareTimes([1, 1, 1, 1, 1.01], [1.15, 1.15, 1.15, 1.15, 1.16], { minSeconds: 0.5, minChangeSeconds: 0.1, alpha: 0.05 }).verdict).toBe('regression')
  })
  it('≥ 5 % faster beyond noise is an improvement', () => {
    expect(compareTimes([10, 10.1, 9.9, 10, 10.2], [9, 9.1, 8.9, 9, 9.2]).verdict).toBe('improvement')
  })
})

describe('compareSpeedupRuns', () => {
  const base = { one: [100, 101, 99, 100, 102], many: [55, 55.5, 54.5, 55, 56] } // ≈ 1.82×
  it('a drop > 0.1× beyond the bootstrap interval is a regression', () => {
    const worse = compareSpeedupRuns(base, { one: [100, 101, 99, 100, 102], many: [62, 62.5, 61.5, 62, 63] })
    expect(worse.delta).toBeLessThan(-0.1)
    expect(worse.significance.method).toBe('bootstrap')
    expect(worse.verdict).toBe('regression')
  })
  it('single runs: untestable, never a regression', () => {
    expect(compareSpeedupRuns({ one: [100], many: [55] }, { one: [100], many: [62] }).verdict).toBe('untestable')
  })
  it('2–4 runs: a regression only when the speedup ranges do not meet', () => {
    expect(compareSpeedupRuns({ one: [100, 101], many: [55, 56] }, { one: [100, 101], many: [70, 71] }).verdict).toBe('regression')
    expect(compareSpeedupRuns({ one: [90, 110], many: [50, 60] }, { one: [90, 110], many: [58, 66] }).verdict).toBe('within-noise')
  })
})

describe('value rules', () => {
  it('utilisation −5 points and memory +20 % are warnings', () => {
    expect(compareUtilisation(85, 79).verdict).toBe('warning')
    expect(compareUtilisation(85, 82).verdict).toBe('unchanged')
    expect(compareMemory(1000, 1250).verdict).toBe('warning')
    expect(compareMemory(1000, 1100).verdict).toBe('unchanged')
  })
})
