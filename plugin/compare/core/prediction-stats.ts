import type { PredictionRow } from '../../io/tsv/rows.ts'
import { type PredictionTable, predictionTable } from '../../io/tsv/tables.ts'
import type { PredictionStats } from '../../model/validation.ts'
import { type IdSample, idSample, noteId, pairById } from './ids.ts'

/** Per-frame comparison of two `prediction_results.txt` tables, rows matched by Sequence_ID (never by position). */
export interface PredictionComparison {
  stats: PredictionStats
  /** Reference ids absent from the candidate (count plus examples). */
  missing: IdSample
  /** Candidate ids absent from the reference. */
  extra: IdSample
  /** Ids whose label differs. */
  flips: IdSample
  /** Flipped ids whose reference score was within the agreeing frames' score noise of the 0.5 decision boundary. */
  borderline: IdSample
  /** Chunk ids of the borderline flips (complete, so consensus disagreements can be explained by them). */
  borderlineChunks: ReadonlySet<string>
  /** The largest reference distance from 0.5 among the borderline flips. */
  borderlineMaxMargin: number
  /** Rows whose |Δscore| exceeds the score tolerance (numerical variance when labels agree). */
  scoresOutside: number
  /** Rows with a NaN/Inf score on the candidate side. */
  nonFiniteScores: number
}

/** Beyond this many flips the borderline analysis is not attempted: so many flips are not noise at a boundary. */
export const MAX_ANALYSED_FLIPS = 10_000

/**
 * A flip is borderline when the reference frame's distance from the decision boundary, |score1 − score2| / 2, is
 * no larger than the largest |Δscore| the candidate shows on frames whose label did not change: the same drift,
 * applied to a frame that close to 0.5, is enough to flip it.
 */
function borderlineFlips(
  flipped: ReadonlyArray<{ id: string; margin: number }>,
  noise: number,
  chunkOf: (id: string) => string,
): { ids: IdSample; chunks: Set<string>; maxMargin: number } {
  const ids = idSample()
  const chunks = new Set<string>()
  let maxMargin = 0
  if (flipped.length > MAX_ANALYSED_FLIPS) return { ids, chunks, maxMargin }
  for (const f of flipped) {
    if (f.margin > noise) continue
    noteId(ids, f.id)
    chunks.add(chunkOf(f.id))
    maxMargin = Math.max(maxMargin, f.margin)
  }
  return { ids, chunks, maxMargin }
}

export function comparePredictions(
  candidateRows: PredictionTable | readonly PredictionRow[],
  referenceRows: PredictionTable | readonly PredictionRow[],
  scoreAtol: number,
  chunkOf: (frameId: string) => string = (id) => id,
): PredictionComparison {
  const candidate = predictionTable(candidateRows)
  const reference = predictionTable(referenceRows)
  const flips = idSample()
  let maxDiff = 0
  let sumDiff = 0
  let scoresOutside = 0
  let nonFiniteScores = 0
  let agreeingMax = 0
  const flipped: Array<{ id: string; margin: number }> = []
  const { matched, missing, extra } = pairById(candidate.ids, reference.ids, (c, r, id) => {
    const flip = candidate.prediction(c) !== reference.prediction(r)
    if (flip) {
      noteId(flips, id)
      if (flipped.length <= MAX_ANALYSED_FLIPS) flipped.push({ id, margin: Math.abs(reference.score1(r) - reference.score2(r)) / 2 })
    }
    const c1 = candidate.score1(c)
    const c2 = candidate.score2(c)
    if (!Number.isFinite(c1) || !Number.isFinite(c2)) {
      nonFiniteScores++
      return
    }
    // score1 + score2 = 1, but both are checked so a broken softmax cannot hide in one column.
    const d = Math.max(Math.abs(c1 - reference.score1(r)), Math.abs(c2 - reference.score2(r)))
    if (d > maxDiff) maxDiff = d
    sumDiff += d
    if (d > scoreAtol) scoresOutside++
    if (!flip && d > agreeingMax) agreeingMax = d
  })
  const finite = matched - nonFiniteScores
  const borderline = borderlineFlips(flipped, agreeingMax, chunkOf)
  return {
    stats: {
      rows: matched,
      labelAgreement: matched === 0 ? 0 : (100 * (matched - flips.count)) / matched,
      labelFlips: flips.count,
      borderlineFlips: borderline.ids.count,
      maxScoreDiff: maxDiff,
      meanScoreDiff: finite === 0 ? 0 : sumDiff / finite,
      agreeingMaxScoreDiff: agreeingMax,
    },
    missing,
    extra,
    flips,
    borderline: borderline.ids,
    borderlineChunks: borderline.chunks,
    borderlineMaxMargin: borderline.maxMargin,
    scoresOutside,
    nonFiniteScores,
  }
}
