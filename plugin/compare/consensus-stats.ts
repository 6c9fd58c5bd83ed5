import type { ConsensusStats } from '../model/validation.ts'
import { byId, type IdSample, idSample, noteId } from './prediction-stats.ts'

/** The part of a consensus row both forms share: the vanilla file has only these two columns. */
export interface ConsensusLabel {
  modifiedId: string
  isVirus: boolean
}

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
  candidate: readonly ConsensusLabel[],
  reference: readonly ConsensusLabel[],
  borderlineChunks: ReadonlySet<string> = new Set(),
): ConsensusComparison {
  const cand = byId(candidate, (r) => r.modifiedId)
  const ref = byId(reference, (r) => r.modifiedId)
  const missing = idSample()
  const extra = idSample()
  const disagreements = idSample()
  const borderline = idSample()
  let matched = 0
  for (const [id, r] of ref) {
    const c = cand.get(id)
    if (c === undefined) {
      noteId(missing, id)
      continue
    }
    matched++
    if (c.isVirus !== r.isVirus) {
      noteId(disagreements, id)
      if (borderlineChunks.has(id)) noteId(borderline, id)
    }
  }
  for (const id of cand.keys()) if (!ref.has(id)) noteId(extra, id)
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
