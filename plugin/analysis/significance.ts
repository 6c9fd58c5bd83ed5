/**
 * Before/after significance for repeated timings: Mann–Whitney U (exact without ties, normal approximation with
 * tie correction otherwise) plus a seeded bootstrap CI of the median ratio. Pure: no I/O.
 */
import seedrandom from 'seedrandom'
import { median, percentile } from './statistics.ts'

/** Below this many repeats on either side a rank test cannot reach significance worth the name. */
export const MIN_REPEATS_FOR_SIGNIFICANCE = 5

export interface MannWhitneyResult {
  u: number
  /** Two-sided p-value. */
  pValue: number
  method: 'exact' | 'normal-approximation'
}

/** Standard normal CDF via the Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-x * x)
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf)
}

/** Mid-ranks (1-based) of the pooled values, and the tie groups' sizes for the variance correction. */
function midRanks(pooled: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = pooled.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value)
  const ranks = new Array<number>(pooled.length).fill(0)
  const tieSizes: number[] = []
  let i = 0
  while (i < order.length) {
    let j = i
    while (j + 1 < order.length && (order[j + 1] as { value: number }).value === (order[i] as { value: number }).value) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) ranks[(order[k] as { index: number }).index] = rank
    if (j > i) tieSizes.push(j - i + 1)
    i = j + 1
  }
  return { ranks, tieSizes }
}

/** Number of arrangements giving each U value for sample sizes m, n (the classic recurrence, done iteratively). */
function exactUDistribution(m: number, n: number): number[] {
  // counts[j][u] for the current m, over j = 0..n
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1])
  for (let i = 1; i <= m; i++) {
    const current: number[][] = [[1]] // n = 0: a single arrangement, U = 0
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1
      const row = new Array<number>(size).fill(0)
      const fromA = previous[j] ?? [] // one fewer of sample A: U shifts by j
      const fromB = current[j - 1] ?? [] // one fewer of sample B
      for (let u = 0; u < size; u++) row[u] = (u - j >= 0 ? (fromA[u - j] ?? 0) : 0) + (fromB[u] ?? 0)
      current.push(row)
    }
    previous = current
  }
  return previous[n] ?? [1]
}

const EXACT_LIMIT = 30

export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  if (a.length === 0 || b.length === 0) throw new Error(`mannWhitneyU: both samples need values (got ${a.length} and ${b.length})`)
  const m = a.length
  const n = b.length
  const { ranks, tieSizes } = midRanks([...a, ...b])
  const rankSumA = ranks.slice(0, m).reduce((s, r) => s + r, 0)
  const uA = rankSumA - (m * (m + 1)) / 2
  const u = Math.min(uA, m * n - uA)
  if (tieSizes.length === 0 && m <= EXACT_LIMIT && n <= EXACT_LIMIT) {
    const counts = exactUDistribution(m, n)
    const total = counts.reduce((s, c) => s + c, 0)
    let tail = 0
    for (let k = 0; k <= Math.floor(u); k++) tail += counts[k] ?? 0
    return { u, pValue: Math.min(1, (2 * tail) / total), method: 'exact' }
  }
  const meanU = (m * n) / 2
  const N = m + n
  const tieTerm = tieSizes.reduce((s, t) => s + (t * t * t - t), 0)
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)))
  if (variance <= 0) return { u, pValue: 1, method: 'normal-approximation' } // every value tied
  const z = (Math.abs(uA - meanU) - 0.5) / Math.sqrt(variance) // continuity-corrected
  return { u, pValue: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), method: 'normal-approximation' }
}

export interface BootstrapRatioCi {
  /** median(after) / median(before). */
  ratio: number
  low: number
  high: number
  confidence: number
  iterations: number
  seed: string
}

function resample(values: readonly number[], random: () => number): number[] {
  return values.map(() => values[Math.floor(random() * values.length)] as number)
}

/** Percentile bootstrap CI of median(after)/median(before); deterministic for a given seed. */
export function bootstrapMedianRatio(
  before: readonly number[],
  after: readonly number[],
  options: { iterations?: number; confidence?: number; seed?: string } = {},
): BootstrapRatioCi {
  const iterations = options.iterations ?? 2000
  const confidence = options.confidence ?? 0.95
  const seed = options.seed ?? 'virnucpro-bootstrap'
  const baseMedian = median(before)
  if (baseMedian === 0) throw new Error('bootstrapMedianRatio: the "before" median is 0, a ratio is undefined')
  const random = seedrandom(seed)
  const ratios: number[] = []
  for (let i = 0; i < iterations; i++) {
    const denominator = median(resample(before, random))
    if (denominator !== 0) ratios.push(median(resample(after, random)) / denominator)
  }
  const alpha = (1 - confidence) / 2
  return {
    ratio: median(after) / baseMedian,
    low: percentile(ratios, alpha * 100),
    high: percentile(ratios, (1 - alpha) * 100),
    confidence,
    iterations,
    seed,
  }
}

/** Fewer than this many runs on a side and there is no spread to speak of: the difference is not testable. */
export const MIN_REPEATS_FOR_BOUND = 2

/** With 2–4 runs per side: the change of medians against the sum of both sides' ranges (max − min). */
export interface SpreadBound {
  /** |median(after) − median(before)|, seconds. */
  difference: number
  /** (max − min) of before + (max − min) of after, seconds. */
  bound: number
}

/**
 * How a difference between two sets of timings was judged against their noise:
 * - `rank-test` (≥ 5 runs a side): beyond noise when Mann–Whitney rejects at `alpha` AND the bootstrap interval of
 *   the median ratio excludes 1;
 * - `spread-bound` (2–4 a side): beyond noise only when the medians differ by more than both ranges together, a
 *   deliberately conservative bound (no distribution assumed, nothing to reject with so few runs);
 * - `none` (a side with a single run): never beyond noise.
 */
export type SignificanceResult =
  | { testable: false; method: 'none'; reason: string }
  | { testable: true; method: 'spread-bound'; significant: boolean; spread: SpreadBound }
  | { testable: true; method: 'rank-test'; significant: boolean; alpha: number; mannWhitney: MannWhitneyResult; bootstrap: BootstrapRatioCi }

function range(values: readonly number[]): number {
  return Math.max(...values) - Math.min(...values)
}

/** The verdict compare-reports prints for two sets of repeated timings (seeded, so the same inputs give the same answer). */
export function testDifference(before: readonly number[], after: readonly number[], alpha = 0.05): SignificanceResult {
  if (before.length === 0 || after.length === 0) throw new Error(`testDifference: both sides need values (got ${before.length} and ${after.length})`)
  if (before.length < MIN_REPEATS_FOR_BOUND || after.length < MIN_REPEATS_FOR_BOUND) {
    return { testable: false, method: 'none', reason: `not testable, ${before.length} vs ${after.length} runs` }
  }
  if (median(before) <= 0) return { testable: false, method: 'none', reason: 'not testable, the base median is 0' }
  if (before.length < MIN_REPEATS_FOR_SIGNIFICANCE || after.length < MIN_REPEATS_FOR_SIGNIFICANCE) {
    const spreadBound = { difference: Math.abs(median(after) - median(before)), bound: range(before) + range(after) }
    return { testable: true, method: 'spread-bound', significant: spreadBound.difference > spreadBound.bound, spread: spreadBound }
  }
  const mannWhitney = mannWhitneyU(before, after)
  const bootstrap = bootstrapMedianRatio(before, after)
  const intervalExcludesOne = bootstrap.low > 1 || bootstrap.high < 1
  return { testable: true, method: 'rank-test', significant: mannWhitney.pValue < alpha && intervalExcludesOne, alpha, mannWhitney, bootstrap }
}
