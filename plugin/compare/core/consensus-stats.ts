import type { ConsensusStats } from '../../model/validation.ts'
import { type ConsensusLabel, type ConsensusTable, consensusTable } from '../../io/tsv/tables.ts'
import { type IdSample, idSample, noteId, pairById } from './ids.ts'

export type { ConsensusLabel } from '../../io/tsv/tables.ts'

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
  const disagreements = idSample()
  const borderline = idSample()
  const { matched, missing, extra } = pairById(candidate.ids, reference.ids, (c, r, id) => {
    if (candidate.isVirus(c) === reference.isVirus(r)) return
    noteId(disagreements, id)
    if (borderlineChunks.has(id)) noteId(borderline, id)
  })
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
