import type { TensorStats } from '../../model/validation.ts'
import type { TensorStage } from './stages.ts'

/** Vectors narrower or wider than the stage's width, kept as a count plus the first offender for the message. */
export interface WidthMismatch {
  count: number
  first: { id: string; candidate: number; reference: number } | null
}

/**
 * Streams vector pairs of one stage (candidate vs reference, matched by id) into numpy-allclose statistics:
 * |a − b| ≤ atol + rtol·|b|, NaN never close, ±Inf close only to the same infinity (numpy's equal_nan=False rules).
 * Only scalars are kept, so memory does not grow with the number of vectors.
 */
export class TensorAccumulator {
  private vectors = 0
  private elements = 0
  private maxAbs = 0
  private maxRel = 0
  private outside = 0
  private vectorsOutside = 0
  private cosineMin = Number.POSITIVE_INFINITY
  private cosineSum = 0
  private cosineCount = 0
  private nan = 0
  private inf = 0
  private referenceNonFinite = 0
  private nonFiniteVectors = 0
  private width = 0
  private worstMargin = Number.NEGATIVE_INFINITY
  private worst: TensorStats['worst'] = null
  private lowestCosine: { id: string; cosine: number } | null = null
  readonly widthMismatch: WidthMismatch = { count: 0, first: null }
  private below = 0
  private belowFloor = 0
  private lowestList: { id: string; cosine: number }[] = []

  constructor(
    readonly stage: TensorStage,
    readonly rtol: number,
    readonly atol: number,
    /** The cosine rule's thresholds (options.ts): vectors below each are counted, the lowest few kept by id. */
    readonly cosineRule: { threshold: number; floor: number } = { threshold: 0.999, floor: 0.99 },
  ) {
    if (!(rtol >= 0) || !(atol >= 0)) throw new RangeError(`tolerances must be non-negative numbers, got rtol=${rtol} atol=${atol}`)
  }

  /** Adds one matched pair; vectors of different lengths are counted as width mismatches and not compared. */
  add(id: string, candidate: ArrayLike<number>, reference: ArrayLike<number>): void {
    const n = candidate.length
    if (n !== reference.length) {
      this.widthMismatch.count++
      this.widthMismatch.first ??= { id, candidate: n, reference: reference.length }
      return
    }
    this.width = n
    this.vectors++
    this.elements += n
    const { rtol, atol } = this
    let dot = 0
    let na = 0
    let nb = 0
    let outsideHere = 0
    let nonFinite = false
    for (let i = 0; i < n; i++) {
      const a = candidate[i] as number
      const b = reference[i] as number
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        nonFinite = true
        if (Number.isNaN(a)) this.nan++
        else if (!Number.isFinite(a)) this.inf++
        if (!Number.isFinite(b)) this.referenceNonFinite++
        // numpy: inf == inf (same sign) is close; everything else involving NaN/Inf is not.
        if (!(a === b)) outsideHere++
        continue
      }
      const d = Math.abs(a - b)
      const absB = Math.abs(b)
      const bound = atol + rtol * absB
      if (d > this.maxAbs) this.maxAbs = d
      // The 1e-10 guard keeps the ratio finite (JSON-safe) where the reference is exactly 0, as B's tooling does.
      const rel = d / (absB + 1e-10)
      if (rel > this.maxRel) this.maxRel = rel
      if (d > bound) {
        outsideHere++
        const margin = d - bound
        if (margin > this.worstMargin) {
          this.worstMargin = margin
          this.worst = { id, index: i, candidate: a, reference: b, bound }
        }
      }
      dot += a * b
      na += a * a
      nb += b * b
    }
    this.outside += outsideHere
    if (outsideHere > 0) this.vectorsOutside++
    if (nonFinite) {
      this.nonFiniteVectors++
      return
    }
    const cos = cosine(dot, na, nb)
    this.cosineSum += cos
    this.cosineCount++
    this.noteCosine(id, cos)
    if (cos < this.cosineMin) {
      this.cosineMin = cos
      this.lowestCosine = { id, cosine: cos }
    }
  }

  private noteCosine(id: string, cos: number): void {
    if (cos < this.cosineRule.threshold) this.below++
    if (cos < this.cosineRule.floor) this.belowFloor++
    const worstKept = this.lowestList[this.lowestList.length - 1]
    if (this.lowestList.length < LOWEST_KEPT || (worstKept !== undefined && cos < worstKept.cosine)) {
      this.lowestList.push({ id, cosine: cos })
      this.lowestList.sort((a, b) => a.cosine - b.cosine)
      if (this.lowestList.length > LOWEST_KEPT) this.lowestList.pop()
    }
  }

  /** The vector with the lowest cosine so far (finite vectors only). */
  get lowest(): { id: string; cosine: number } | null {
    return this.lowestCosine
  }

  /** Vectors holding NaN/Inf in either side; they are left out of the cosine figures and counted here instead. */
  get nonFiniteVectorCount(): number {
    return this.nonFiniteVectors
  }

  /** Non-finite elements on the reference side (a broken reference, reported separately from the candidate's). */
  get referenceNonFiniteCount(): number {
    return this.referenceNonFinite
  }

  stats(): TensorStats {
    const none = this.cosineCount === 0
    return {
      stage: this.stage,
      vectors: this.vectors,
      width: this.width,
      elements: this.elements,
      maxAbsDiff: this.maxAbs,
      maxRelDiff: this.maxRel,
      outsideTolerance: this.outside,
      outsidePercent: this.elements === 0 ? 0 : (100 * this.outside) / this.elements,
      vectorsOutside: this.vectorsOutside,
      // With no comparable vector there is no evidence of divergence; emptiness is an integrity finding instead.
      minCosine: none ? 1 : this.cosineMin,
      meanCosine: none ? 1 : this.cosineSum / this.cosineCount,
      nanCount: this.nan,
      infCount: this.inf,
      worst: this.worst,
      lowCosine: {
        threshold: this.cosineRule.threshold,
        below: this.below,
        floor: this.cosineRule.floor,
        belowFloor: this.belowFloor,
        // Only vectors under the threshold are news; the others are listed by the mean.
        lowest: this.lowestList.filter((v) => v.cosine < this.cosineRule.threshold),
      },
    }
  }
}

/** How many of the lowest-cosine vectors a comparison names (and follows downstream). */
export const LOWEST_KEPT = 5

/** Cosine similarity; two zero vectors are identical (1), one zero vector against a non-zero one is unrelated (0). */
export function cosine(dot: number, normSqA: number, normSqB: number): number {
  if (normSqA === 0 && normSqB === 0) return 1
  if (normSqA === 0 || normSqB === 0) return 0
  const c = dot / Math.sqrt(normSqA * normSqB)
  return Math.max(-1, Math.min(1, c))
}

/** Cosine similarity of two equal-length vectors (float64 accumulation). */
export function cosineOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosine of vectors of different lengths (${a.length} vs ${b.length})`)
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    dot += x * y
    na += x * x
    nb += y * y
  }
  return cosine(dot, na, nb)
}
