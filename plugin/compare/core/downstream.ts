/**
 * What the lowest-cosine vectors did downstream (issue 14): for each, its frame's label and score on both sides and
 * its chunk's consensus. Pure over the tables the comparison already holds; only the few named ids are looked up.
 */
import type { ConsensusTable, PredictionTable } from '../../io/tsv/tables.ts'
import type { DownstreamImpact, TensorStats } from '../../model/validation.ts'
import { chunkIdOf } from './ids.ts'

/**
 * The vectors under the cosine threshold of a stage. Comparisons stored before the lowest vectors were recorded
 * still name one when exactly one vector was outside tolerance: every other vector is then within rtol of the
 * reference, so the lowest cosine can only be that one (the `worst` element's vector).
 */
function lowest(t: TensorStats, threshold: number): { id: string; cosine: number }[] {
  if (t.lowCosine !== null) return t.lowCosine.lowest
  if (t.vectorsOutside === 1 && t.worst !== null && t.minCosine < threshold) return [{ id: t.worst.id, cosine: t.minCosine }]
  return []
}

/** The lowest-cosine vectors of every stage, one entry per (stage, id). */
export function divergentVectors(tensors: readonly TensorStats[], threshold: number): DownstreamImpact[] {
  return tensors.flatMap((t) =>
    lowest(t, threshold).map((v) => ({
      stage: t.stage,
      id: v.id,
      cosine: v.cosine,
      labelChanged: null,
      referenceLabel: null,
      candidateLabel: null,
      scoreDelta: null,
      chunk: chunkIdOf(v.id),
      consensusChanged: null,
    })),
  )
}

function firstRow(ids: readonly string[], wanted: ReadonlySet<string>): Map<string, number> {
  const rows = new Map<string, number>()
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string
    if (wanted.has(id) && !rows.has(id)) rows.set(id, i)
  }
  return rows
}

export function withPredictions(impacts: readonly DownstreamImpact[], candidate: PredictionTable, reference: PredictionTable): DownstreamImpact[] {
  const wanted = new Set(impacts.map((i) => i.id))
  const c = firstRow(candidate.ids, wanted)
  const r = firstRow(reference.ids, wanted)
  return impacts.map((impact) => {
    const ci = c.get(impact.id)
    const ri = r.get(impact.id)
    if (ci === undefined || ri === undefined) return impact
    const candidateLabel = candidate.prediction(ci)
    const referenceLabel = reference.prediction(ri)
    return { ...impact, candidateLabel, referenceLabel, labelChanged: candidateLabel !== referenceLabel, scoreDelta: Math.abs(candidate.score2(ci) - reference.score2(ri)) }
  })
}

export function withConsensus(impacts: readonly DownstreamImpact[], candidate: ConsensusTable, reference: ConsensusTable): DownstreamImpact[] {
  const wanted = new Set(impacts.map((i) => i.chunk))
  const c = firstRow(candidate.ids, wanted)
  const r = firstRow(reference.ids, wanted)
  return impacts.map((impact) => {
    const ci = c.get(impact.chunk)
    const ri = r.get(impact.chunk)
    return ci === undefined || ri === undefined ? impact : { ...impact, consensusChanged: candidate.isVirus(ci) !== reference.isVirus(ri) }
  })
}
