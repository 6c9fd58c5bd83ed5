import { describe, expect, it } from 'vitest'
import { decideRepeat, isWarmupRun, nextRound, recentSpread, repeatPolicy, type RepeatDecision } from './repeat-policy.ts'

const policy = repeatPolicy(undefined)

/** Runs the policy against a list of run times for one GPU count; returns how many it made and why it stopped. */
function simulate(times: readonly number[], p = policy, warmup = 0): { runs: number; note: string } {
  const measured: number[] = []
  let spent = warmup
  for (const t of times) {
    measured.push(t)
    spent += t
    const decision = decideRepeat(p, { measured, spentSeconds: spent })
    if (!decision.more) return { runs: measured.length, note: decision.note }
  }
  throw new Error('the policy asked for more runs than given')
}

describe('repeat policy', () => {
  it('defaults: min 1, short under 15 s, short runs ≥ 8, max 12, budget 120 s, stable = last 3 within 10 %, warm-up auto', () => {
    expect(policy).toEqual({ minRuns: 1, shortRunSeconds: 15, shortMinRuns: 8, maxRuns: 12, budgetSeconds: 120, stableRuns: 3, stableWithin: 0.1, warmup: 'auto' })
  })
  it('a number is the minimum of measured runs', () => {
    expect(repeatPolicy(3)).toMatchObject({ minRuns: 3, maxRuns: 12 })
    expect(repeatPolicy(20)).toMatchObject({ minRuns: 20, maxRuns: 20 })
    expect(() => repeatPolicy({ minRuns: 5, maxRuns: 2 })).toThrow(/maxRuns must be ≥ minRuns/)
  })
  it('a long GPU run stays at one run and says so', () => {
    expect(simulate([41.1])).toEqual({ runs: 1, note: '1 run: long run (median 41.1 s ≥ 15 s), not repeated beyond minRuns 1' })
    expect(simulate([41, 42, 40], repeatPolicy(3)).runs).toBe(3)
  })
  it('short runs repeat to at least 8, then until the last 3 agree within 10 %', () => {
    expect(simulate([2.0, 2.1, 2.05, 2.0, 1.98, 2.0, 2.02, 2.01])).toEqual({ runs: 8, note: '8 runs: stable, last 3 within 1.0 % (≤ 10 %)' })
    expect(simulate([2.0, 2.5, 1.7, 2.6, 1.8, 2.0, 2.5, 2.0, 2.05, 2.1]).runs).toBe(10)
  })
  it('noisy short runs stop at maxRuns or the time budget', () => {
    const noisy = [2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3]
    expect(simulate(noisy).note).toMatch(/^12 runs: maxRuns 12 reached/)
    expect(simulate(noisy, repeatPolicy({ budgetSeconds: 10 })).note).toBe('4 runs: time budget 10 s spent')
  })
  it('the first run of a case is a warm-up when short (auto), never when long', () => {
    expect(isWarmupRun(policy, { firstOfCase: true, wallSeconds: 2 })).toBe(true)
    expect(isWarmupRun(policy, { firstOfCase: true, wallSeconds: 40 })).toBe(false)
    expect(isWarmupRun(policy, { firstOfCase: false, wallSeconds: 2 })).toBe(false)
    expect(isWarmupRun(repeatPolicy({ warmup: 'always' }), { firstOfCase: true, wallSeconds: 40 })).toBe(true)
    expect(isWarmupRun(repeatPolicy({ warmup: 'never' }), { firstOfCase: true, wallSeconds: 2 })).toBe(false)
  })
  it('rounds interleave the GPU counts that still need runs, in declaration order', () => {
    const decisions = new Map<number, RepeatDecision>([[1, { more: true }], [2, { more: false, note: 'done' }]])
    expect(nextRound([1, 2, 4], decisions)).toEqual([1, 4])
    expect(nextRound([1, 2, 4], new Map())).toEqual([1, 2, 4])
  })
  it('recentSpread is (max − min) / median of the last k', () => {
    expect(recentSpread([5, 1, 1.1, 1.0], 3)).toBeCloseTo(0.1 / 1.0)
    expect(recentSpread([1, 2], 3)).toBeNull()
  })
})
