/**
 * Before/after rules from the original project's regression tracker (contract §4a): > 10 % slower total time or
 * speedup down > 0.1× is a regression; utilisation −5 points or memory +20 % is a warning; ≥ 5 % faster is an
 * improvement. A change only counts when it is also beyond the measured noise (significance.ts) and above the
 * absolute floors: noise on a 2-core machine easily moves a 2 s run by 20 %, and a 0.01 s stage by 3000 %.
 * Pure: no I/O.
 */
import seedrandom from 'seedrandom'
import { median, percentile } from './statistics.ts'
import { MIN_REPEATS_FOR_BOUND, MIN_REPEATS_FOR_SIGNIFICANCE, testDifference, type SignificanceResult } from './significance.ts'

export const REGRESSION_RULES = {
  slowerFraction: 0.1,
  fasterFraction: 0.05,
  speedupDelta: 0.1,
  utilisationDropPoints: 5,
  memoryRiseFraction: 0.2,
} as const

/** The noise side of the verdict; every field can be set from scripts/compare-reports.ts. */
export interface NoiseRules {
  /** A timing whose median is under this on both sides is never a regression (seconds). */
  minSeconds: number
  /** A change of medians smaller than this is never a regression (seconds). */
  minChangeSeconds: number
  /** Two-sided level of the Mann–Whitney test. */
  alpha: number
}

export const DEFAULT_NOISE_RULES: NoiseRules = { minSeconds: 0.5, minChangeSeconds: 0.2, alpha: 0.05 }

/**
 * `untestable`: past the rule but with one run a side (or one side), so nothing can tell it from noise;
 * `below-floor`: under the absolute floors; `within-noise`: past the rule but not beyond the measured noise.
 */
export type ChangeVerdict = 'regression' | 'warning' | 'improvement' | 'unchanged' | 'within-noise' | 'untestable' | 'below-floor'

export interface TimeChange {
  base: number
  next: number
  /** (new − base) / base: positive is slower. */
  change: number
  significance: SignificanceResult
  verdict: ChangeVerdict
}

/**
 * Beyond the noise means more than "different": the whole interval of the change must lie past the rule, so a
 * significant 3 % drift between two sessions of a shared machine is not a 10 % regression. Rank test: Mann–Whitney
 * rejects and the bootstrap interval of the median ratio lies above 1 + 10 % (below 1 − 5 % for an improvement).
 * Spread bound: the change of medians, less both ranges, still exceeds the rule.
 */
function beyondRule(direction: 'regression' | 'improvement', base: number, significance: Exclude<SignificanceResult, { testable: false }>): boolean {
  if (!significance.significant) return false
  const slower = 1 + REGRESSION_RULES.slowerFraction
  const faster = 1 - REGRESSION_RULES.fasterFraction
  if (significance.method === 'rank-test') return direction === 'regression' ? significance.bootstrap.low > slower : significance.bootstrap.high < faster
  const { difference, bound } = significance.spread
  return (difference - bound) / base > (direction === 'regression' ? REGRESSION_RULES.slowerFraction : REGRESSION_RULES.fasterFraction)
}

function gated(direction: 'regression' | 'improvement', base: number, significance: SignificanceResult): ChangeVerdict {
  if (!significance.testable) return 'untestable'
  return beyondRule(direction, base, significance) ? direction : 'within-noise'
}

/** Compares repeated timings (seconds); the verdict uses the total-time rule, the floors and the noise. */
export function compareTimes(base: readonly number[], next: readonly number[], rules: NoiseRules = DEFAULT_NOISE_RULES): TimeChange {
  if (base.length === 0 || next.length === 0) throw new Error(`compareTimes: both sides need timings (got ${base.length} and ${next.length})`)
  const b = median(base)
  const n = median(next)
  const change = b === 0 ? 0 : (n - b) / b
  const significance = testDifference(base, next, rules.alpha)
  let verdict: ChangeVerdict = 'unchanged'
  const pastRule = change > REGRESSION_RULES.slowerFraction || (b === 0 && n > 0) ? 'regression' : change <= -REGRESSION_RULES.fasterFraction ? 'improvement' : null
  if (pastRule !== null) {
    const belowFloor = Math.max(b, n) < rules.minSeconds || Math.abs(n - b) < rules.minChangeSeconds
    verdict = belowFloor ? 'below-floor' : gated(pastRule, b, significance)
  }
  return { base: b, next: n, change, significance, verdict }
}

/** 1-GPU and N-GPU wall times of one side, for a speedup with its noise. */
export interface SpeedupRuns {
  one: readonly number[]
  many: readonly number[]
}

export type SpeedupSignificance =
  | { testable: false; method: 'none'; reason: string }
  /** 2–4 runs: the speedup's range from the runs' extremes (min(t1)/max(tN) … max(t1)/min(tN)); beyond noise when the two sides' ranges are more than 0.1× apart. */
  | { testable: true; method: 'range'; significant: boolean; base: [number, number]; next: [number, number] }
  /** ≥ 5 runs: seeded bootstrap interval of speedup(new) − speedup(base); beyond noise when it lies wholly past ±0.1×. */
  | { testable: true; method: 'bootstrap'; significant: boolean; low: number; high: number; confidence: number; iterations: number; seed: string }

export interface SpeedupChange {
  base: number
  next: number
  delta: number
  significance: SpeedupSignificance
  verdict: ChangeVerdict
}

function speedupOf(runs: SpeedupRuns): number {
  return median(runs.one) / median(runs.many)
}

function resampledSpeedup(runs: SpeedupRuns, random: () => number): number {
  const pick = (values: readonly number[]): number[] => values.map(() => values[Math.floor(random() * values.length)] as number)
  return median(pick(runs.one)) / median(pick(runs.many))
}

function speedupSignificance(base: SpeedupRuns, next: SpeedupRuns, direction: number): SpeedupSignificance {
  const sizes = [base.one.length, base.many.length, next.one.length, next.many.length]
  const fewest = Math.min(...sizes)
  if (fewest < MIN_REPEATS_FOR_BOUND) return { testable: false, method: 'none', reason: `not testable, ${Math.min(base.one.length, base.many.length)} vs ${Math.min(next.one.length, next.many.length)} runs` }
  if (fewest < MIN_REPEATS_FOR_SIGNIFICANCE) {
    const rangeOf = (r: SpeedupRuns): [number, number] => [Math.min(...r.one) / Math.max(...r.many), Math.max(...r.one) / Math.min(...r.many)]
    const b = rangeOf(base)
    const n = rangeOf(next)
    // Beyond the rule: the ranges are more than 0.1× apart.
    const apart = direction < 0 ? n[1] < b[0] - REGRESSION_RULES.speedupDelta : n[0] > b[1] + REGRESSION_RULES.speedupDelta
    return { testable: true, method: 'range', significant: apart, base: b, next: n }
  }
  const seed = 'virnucpro-speedup'
  const iterations = 2000
  const random = seedrandom(seed)
  const deltas: number[] = []
  for (let i = 0; i < iterations; i++) deltas.push(resampledSpeedup(next, random) - resampledSpeedup(base, random))
  const low = percentile(deltas, 2.5)
  const high = percentile(deltas, 97.5)
  // Beyond the rule: the whole interval of the change lies past ±0.1×.
  return { testable: true, method: 'bootstrap', significant: low > REGRESSION_RULES.speedupDelta || high < -REGRESSION_RULES.speedupDelta, low, high, confidence: 0.95, iterations, seed }
}

/** Speedup over 1 GPU from repeated runs: down > 0.1× and beyond the noise of both sides is a regression. */
export function compareSpeedupRuns(base: SpeedupRuns, next: SpeedupRuns): SpeedupChange {
  const b = speedupOf(base)
  const n = speedupOf(next)
  const delta = n - b
  const significance = speedupSignificance(base, next, delta)
  let verdict: ChangeVerdict = 'unchanged'
  if (Math.abs(delta) > REGRESSION_RULES.speedupDelta) {
    const direction = delta < 0 ? 'regression' : 'improvement'
    verdict = !significance.testable ? 'untestable' : significance.significant ? direction : 'within-noise'
  }
  return { base: b, next: n, delta, significance, verdict }
}

export interface ValueChange {
  base: number
  next: number
  delta: number
  verdict: ChangeVerdict
}

/** Utilisation in percent points. */
export function compareUtilisation(base: number, next: number): ValueChange {
  const delta = next - base
  return { base, next, delta, verdict: delta <= -REGRESSION_RULES.utilisationDropPoints ? 'warning' : 'unchanged' }
}

export function compareMemory(base: number, next: number): ValueChange {
  const delta = base === 0 ? 0 : (next - base) / base
  return { base, next, delta, verdict: delta > REGRESSION_RULES.memoryRiseFraction ? 'warning' : 'unchanged' }
}
