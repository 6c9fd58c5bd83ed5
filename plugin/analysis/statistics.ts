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

/** Interquartile range (p75 − p25, numpy's linear percentiles). */
export function iqr(values: readonly number[]): number {
  return percentile(values, 75) - percentile(values, 25)
}

/**
 * hyperfine's outlier rule (src/outlier_detection.rs): the modified z-score is (x − median) / MAD, and a value is an
 * outlier when |z| exceeds 1.4826 × 10, i.e. ten standard deviations once the MAD is scaled to estimate one.
 */
export const OUTLIER_MODIFIED_Z = 1.4826 * 10

/** (x − median) / MAD per value; 0 where MAD is 0 and x is the median, ±Infinity where MAD is 0 and x is not. */
export function modifiedZScores(values: readonly number[]): number[] {
  const m = median(values)
  const d = mad(values)
  return values.map((v) => (v === m ? 0 : d === 0 ? Math.sign(v - m) * Number.POSITIVE_INFINITY : (v - m) / d))
}

/**
 * Indices of the outliers by hyperfine's rule. A MAD of 0 (half the runs identical) makes every other value infinitely
 * far, so then only values more than 1 % off the median are flagged: timings identical to the clock tick are not noise.
 */
export function outlierIndices(values: readonly number[]): number[] {
  const m = median(values)
  return modifiedZScores(values).flatMap((z, i) => {
    if (Math.abs(z) <= OUTLIER_MODIFIED_Z) return []
    if (!Number.isFinite(z) && Math.abs((values[i] as number) - m) <= Math.abs(m) * 0.01) return []
    return [i]
  })
}

/** Fewer repeats than this and min/max/spread say nothing useful: the value is reported on its own, flagged. */
export const MIN_REPEATS_FOR_SPREAD = 3

/** `value` is the median of the repeats (the single value when n = 1); `flag` says "n=1" when there are too few. */
export type Summary = z.infer<typeof SummaryStatsSchema>

export function summarise(values: readonly number[]): Summary {
  requireValues(values, 'summarise')
  const value = median(values)
  if (values.length < MIN_REPEATS_FOR_SPREAD) {
    return { n: values.length, value, min: null, max: null, spread: null, mad: null, iqr: null, outliers: [], flag: `n=${values.length}` }
  }
  const outliers = outlierIndices(values).map((i) => values[i] as number)
  return {
    n: values.length,
    value,
    min: min(values),
    max: max(values),
    spread: spread(values),
    mad: mad(values),
    iqr: iqr(values),
    outliers,
    flag: outliers.length > 0 ? `${outliers.length} outlier${outliers.length === 1 ? '' : 's'}` : null,
  }
}
