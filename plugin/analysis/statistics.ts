/** Descriptive statistics over repeated measurements. Pure: no I/O. */
import type { z } from 'zod'
import type { SummaryStatsSchema } from './schema.ts'

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b)
}

function requireValues(values: readonly number[], what: string): void {
  if (values.length === 0) throw new Error(`${what}: needs at least one value, got none`)
  const bad = values.find((v) => !Number.isFinite(v))
  if (bad !== undefined) throw new Error(`${what}: values must be finite numbers, got ${String(bad)}`)
}

/**
 * The p-th percentile (0–100) by linear interpolation between closest ranks (numpy's default "linear" method),
 * the one percentile implementation everything else reuses.
 */
export function percentile(values: readonly number[], p: number): number {
  requireValues(values, 'percentile')
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile: p must be within 0..100, got ${p}`)
  const sorted = sortedCopy(values)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  const low = sorted[lo] as number
  const high = sorted[hi] as number
  return low + (high - low) * (rank - lo)
}

export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

export function min(values: readonly number[]): number {
  requireValues(values, 'min')
  return Math.min(...values)
}

export function max(values: readonly number[]): number {
  requireValues(values, 'max')
  return Math.max(...values)
}

export function mean(values: readonly number[]): number {
  requireValues(values, 'mean')
  return values.reduce((sum, v) => sum + v, 0) / values.length
}

/** Median absolute deviation (unscaled): robust to the one slow outlier a GPU warm-up tends to produce. */
export function mad(values: readonly number[]): number {
  const m = median(values)
  return median(values.map((v) => Math.abs(v - m)))
}

/** (max − min) / median; null when the median is 0 (a relative spread is meaningless there). */
export function spread(values: readonly number[]): number | null {
  const m = median(values)
  if (m === 0) return null
  return (max(values) - min(values)) / m
}

/** Fewer repeats than this and min/max/spread say nothing useful: the value is reported on its own, flagged. */
export const MIN_REPEATS_FOR_SPREAD = 3

/** `value` is the median of the repeats (the single value when n = 1); `flag` says "n=1" when there are too few. */
export type Summary = z.infer<typeof SummaryStatsSchema>

export function summarise(values: readonly number[]): Summary {
  requireValues(values, 'summarise')
  const value = median(values)
  if (values.length < MIN_REPEATS_FOR_SPREAD) {
    return { n: values.length, value, min: null, max: null, spread: null, mad: null, flag: `n=${values.length}` }
  }
  return { n: values.length, value, min: min(values), max: max(values), spread: spread(values), mad: mad(values), flag: null }
}
