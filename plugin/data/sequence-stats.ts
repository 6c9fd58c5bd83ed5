import type { LengthCounts, WorkProfile } from '../model/work-profile.ts'
import { nucleotideFrameLength, stopFreeFrameLengths } from './vanilla-rules.ts'
import { BASE_CODE, chunkSpans, frameCount, shouldSkipChunking } from './vanilla-rules.ts'

export interface LengthSummary {
  readonly min: number
  /** Nearest-rank median (an actual length, never an average of two). */
  readonly p50: number
  readonly mean: number
  readonly max: number
}

export interface HistogramBucket {
  readonly min: number
  /** Inclusive; null for the open top bucket. */
  readonly max: number | null
  readonly count: number
}

export interface SequenceStats {
  readonly records: number
  readonly bases: number
  readonly length: LengthSummary
  /** (G+C)/(A+C+G+T), case-insensitive; N and other codes are left out of both sides. */
  readonly gcFraction: number
  readonly chunkLength: number
  /** Chunks under the vanilla rule, including B's skip-chunking rule for all-short inputs. */
  readonly chunks: number
  /** Chunks with at least one stop-free frame: the rows the consensus file will have. */
  readonly chunksWithOrf: number
  readonly orfChunkFraction: number
  /** Stop-free frames over all chunks: the sequences DNABERT-S and ESM-2 will embed. */
  readonly orfFrames: number
}

/** Upper bounds (inclusive) of the default length histogram; they bracket 150 bp reads and the 300/500 chunk sizes. */
export const DEFAULT_HISTOGRAM_EDGES: readonly number[] = [99, 149, 150, 299, 300, 499, 500, 999, 1999, 4999, 9999]

/** Rounds to 6 decimals so summaries print the same on every platform and stay readable. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6
}

/**
 * Accumulates {@link SequenceStats} one record at a time in bounded memory: lengths are kept as an exact
 * length → count map, so memory grows with distinct lengths, not records.
 */
export class SequenceStatsAccumulator {
  private records = 0
  private bases = 0
  private gc = 0
  private acgt = 0
  private maxLength = 0
  private emptyRecords = 0
  private chunks = 0
  private chunksWithOrf = 0
  private orfFrames = 0
  private readonly lengthCounts = new Map<number, number>()
  // Frame lengths are bounded by the chunk length: dense arrays indexed by length, no per-frame allocation.
  private readonly proteinCounts: Float64Array
  private readonly nucleotideCounts: Float64Array
  private readonly residues = new Int32Array(6)

  constructor(readonly chunkLength: number) {
    if (!Number.isSafeInteger(chunkLength) || chunkLength < 1) {
      throw new RangeError(`chunkLength must be a positive integer, got ${chunkLength}`)
    }
    this.proteinCounts = new Float64Array(Math.floor(chunkLength / 3) + 1)
    this.nucleotideCounts = new Float64Array(chunkLength + 1)
  }

  add(sequence: Uint8Array | string): void {
    const bytes = typeof sequence === 'string' ? Buffer.from(sequence, 'latin1') : sequence
    const length = bytes.length
    this.records++
    this.bases += length
    this.maxLength = Math.max(this.maxLength, length)
    this.lengthCounts.set(length, (this.lengthCounts.get(length) ?? 0) + 1)
    for (let i = 0; i < length; i++) {
      const code = BASE_CODE[bytes[i]!]!
      if (code < 4) {
        this.acgt++
        // C = 1, G = 2
        if (code === 1 || code === 2) this.gc++
      }
    }
    if (length === 0) {
      this.emptyRecords++
      return
    }
    for (const span of chunkSpans(length, this.chunkLength)) {
      const mask = stopFreeFrameLengths(bytes, span.start, span.start + span.length, this.residues)
      this.chunks++
      if (mask === 0) continue
      this.chunksWithOrf++
      this.orfFrames += frameCount(mask)
      for (let frame = 0; frame < 6; frame++) {
        const residues = this.residues[frame]!
        if (residues === 0) continue
        this.proteinCounts[residues]!++
        this.nucleotideCounts[nucleotideFrameLength(span.length, frame, residues)]!++
      }
    }
  }

  lengthSummary(): LengthSummary {
    if (this.records === 0) return { min: 0, p50: 0, mean: 0, max: 0 }
    const lengths = [...this.lengthCounts.keys()].sort((a, b) => a - b)
    const rank = Math.ceil(this.records / 2)
    let seen = 0
    let p50 = 0
    for (const length of lengths) {
      seen += this.lengthCounts.get(length) ?? 0
      if (seen >= rank) {
        p50 = length
        break
      }
    }
    return { min: lengths[0] ?? 0, p50, mean: round6(this.bases / this.records), max: lengths[lengths.length - 1] ?? 0 }
  }

  histogram(edges: readonly number[] = DEFAULT_HISTOGRAM_EDGES): HistogramBucket[] {
    const buckets = edges.map((max, i) => ({ min: i === 0 ? 0 : edges[i - 1]! + 1, max: max as number | null, count: 0 }))
    buckets.push({ min: (edges[edges.length - 1] ?? -1) + 1, max: null, count: 0 })
    for (const [length, count] of this.lengthCounts) {
      const bucket = buckets.find((b) => b.max === null || length <= b.max)
      if (bucket) bucket.count += count
    }
    return buckets
  }

  /** The exact frame and protein length distributions the embedding stages will see (see WorkProfile). */
  workProfile(): WorkProfile {
    const { chunks, chunksWithOrf, orfFrames } = this.result()
    return {
      chunkLength: this.chunkLength,
      chunks,
      chunksWithOrf,
      orfFrames,
      nucleotideLengths: lengthCounts(this.nucleotideCounts),
      proteinLengths: lengthCounts(this.proteinCounts),
    }
  }

  result(): SequenceStats {
    // The skip path turns an empty record into one (empty, ORF-less) chunk; V itself crashes on it.
    const skipped = shouldSkipChunking(this.maxLength, this.chunkLength)
    const chunks = this.chunks + (skipped ? this.emptyRecords : 0)
    return {
      records: this.records,
      bases: this.bases,
      length: this.lengthSummary(),
      gcFraction: this.acgt === 0 ? 0 : round6(this.gc / this.acgt),
      chunkLength: this.chunkLength,
      chunks,
      chunksWithOrf: this.chunksWithOrf,
      orfChunkFraction: chunks === 0 ? 0 : round6(this.chunksWithOrf / chunks),
      orfFrames: this.orfFrames,
    }
  }
}

function lengthCounts(dense: Float64Array): LengthCounts {
  const pairs: LengthCounts = []
  dense.forEach((count, length) => {
    if (count > 0) pairs.push([length, count])
  })
  return pairs
}
