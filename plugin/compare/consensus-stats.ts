import type { ConsensusStats } from '../model/validation.ts'
import { type ConsensusLabel, type ConsensusTable, consensusTable } from '../io/tsv/tables.ts'
import { type IdSample, idSample, indexById, noteId } from './prediction-stats.ts'

export type { ConsensusLabel } from '../io/tsv/tables.ts'

export interface ConsensusComparison {
  stats: ConsensusStats
  missing: IdSample
  extra: IdSample
  disagreements: IdSample
  /** Disagreements on chunks that had a borderline label flip (see prediction-stats.ts). */
  borderline: IdSample
}

/**
 * Exact per-chunk agreement on Is_Virus, matched by Modified_ID: vanilla sorts by id and the optimised tool keeps
 * first-seen order, so row order carries no meaning here.
 */
export function compareConsensus(
  candidateRows: ConsensusTable | readonly ConsensusLabel[],
  referenceRows: ConsensusTable | readonly ConsensusLabel[],
  borderlineChunks: ReadonlySet<string> = new Set(),
): ConsensusComparison {
  const candidate = consensusTable(candidateRows)
  const reference = consensusTable(referenceRows)
  const cand = indexById(candidate.ids)
  const matchedRow = new Uint8Array(candidate.length)
  const missing = idSample()
  const extra = idSample()
  const disagreements = idSample()
  const borderline = idSample()
  let matched = 0
  for (let r = 0; r < reference.length; r++) {
    const id = reference.ids[r] as string
    const c = cand.get(id)
    if (c === undefined) {
      noteId(missing, id)
      continue
    }
    if (matchedRow[c] === 1) continue
    matchedRow[c] = 1
    matched++
    if (candidate.isVirus(c) !== reference.isVirus(r)) {
      noteId(disagreements, id)
      if (borderlineChunks.has(id)) noteId(borderline, id)
    }
  }
  for (const [id, c] of cand) if (matchedRow[c] === 0) noteId(extra, id)
  return {
    stats: {
      rows: matched,
      agreement: matched === 0 ? 0 : (100 * (matched - disagreements.count)) / matched,
      disagreements: disagreements.count,
      borderlineDisagreements: borderline.count,
    },
    missing,
    extra,
    disagreements,
    borderline,
  }
}

/** The chunk id of an ORF frame id: the optimised tool strips the frame tag only when it is F1–R3 (vanilla §7). */
export function chunkIdOf(frameId: string): string {
  return /[FR][1-3]$/.test(frameId) ? frameId.slice(0, -2) : frameId
}
