import { describe, expect, it } from 'vitest'
import { compareMemory, compareSpeedup, compareTimes, compareUtilisation } from './regression.ts'

describe('compareTimes', () => {
  it('> 10 % slower is a regression (not testable with few repeats)', () => {
    const change = compareTimes([100, 100], [112, 112])
    expect(change.change).toBeCloseTo(0.12)
    expect(change.verdict).toBe('regression')
    expect(change.significance.testable).toBe(false)
  })
  it('a significant slowdown with ≥ 5 repeats is a regression', () => {
    const change = compareTimes([100, 101, 99, 100, 102], [115, 116, 114, 117, 115])
    expect(change.significance.testable && change.significance.significant).toBe(true)
    expect(change.verdict).toBe('regression')
  })
  it('a large but noisy change is within noise when the rank test cannot separate it', () => {
    const change = compareTimes([50, 150, 60, 140, 100], [55, 160, 70, 150, 130])
    expect(change.verdict).toBe('within-noise')
  })
  it('≥ 5 % faster is an improvement; small changes are unchanged', () => {
    expect(compareTimes([100], [95]).verdict).toBe('improvement')
    expect(compareTimes([100], [104]).verdict).toBe('unchanged')
    expect(compareTimes([100], [110]).verdict).toBe('unchanged')
  })
})

describe('value rules', () => {
  it('speedup down more than 0.1× is a regression, up more than 0.1× an improvement', () => {
    expect(compareSpeedup(1.8, 1.65).verdict).toBe('regression')
    expect(compareSpeedup(1.8, 1.75).verdict).toBe('unchanged')
    expect(compareSpeedup(1.6, 1.8).verdict).toBe('improvement')
  })
  it('utilisation −5 points and memory +20 % are warnings', () => {
    expect(compareUtilisation(85, 79).verdict).toBe('warning')
    expect(compareUtilisation(85, 82).verdict).toBe('unchanged')
    expect(compareMemory(1000, 1250).verdict).toBe('warning')
    expect(compareMemory(1000, 1100).verdict).toBe('unchanged')
  })
})
