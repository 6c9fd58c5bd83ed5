/**
 * Before/after rules from the original project's regression tracker (contract §4a): > 10 % slower total time or
 * speedup down > 0.1× is a regression; utilisation −5 points or memory +20 % is a warning; ≥ 5 % faster is an
 * improvement. A change the rank test calls noise (when testable) is not a regression. Pure: no I/O.
 */
import { median } from './statistics.ts'
import { testDifference, type SignificanceResult } from './significance.ts'

export const REGRESSION_RULES = {
  slowerFraction: 0.1,
  fasterFraction: 0.05,
  speedupDelta: 0.1,
  utilisationDropPoints: 5,
  memoryRiseFraction: 0.2,
} as const

export type ChangeVerdict = 'regression' | 'warning' | 'improvement' | 'unchanged' | 'within-noise'

export interface TimeChange {
  base: number
  next: number
  /** (new − base) / base: positive is slower. */
  change: number
  significance: SignificanceResult
  verdict: ChangeVerdict
}

/** Compares repeated timings (seconds); the verdict uses the total-time rule. */
export function compareTimes(base: readonly number[], next: readonly number[]): TimeChange {
  if (base.length === 0 || next.length === 0) throw new Error(`compareTimes: both sides need timings (got ${base.length} and ${next.length})`)
  const b = median(base)
  const n = median(next)
  const change = b === 0 ? 0 : (n - b) / b
  const significance = testDifference(base, next)
  const noise = significance.testable && !significance.significant
  let verdict: ChangeVerdict = 'unchanged'
  if (change > REGRESSION_RULES.slowerFraction) verdict = noise ? 'within-noise' : 'regression'
  else if (change <= -REGRESSION_RULES.fasterFraction) verdict = noise ? 'within-noise' : 'improvement'
  return { base: b, next: n, change, significance, verdict }
}

export interface ValueChange {
  base: number
  next: number
  delta: number
  verdict: ChangeVerdict
}

export function compareSpeedup(base: number, next: number): ValueChange {
  const delta = next - base
  const verdict: ChangeVerdict = delta < -REGRESSION_RULES.speedupDelta ? 'regression' : delta > REGRESSION_RULES.speedupDelta ? 'improvement' : 'unchanged'
  return { base, next, delta, verdict }
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
