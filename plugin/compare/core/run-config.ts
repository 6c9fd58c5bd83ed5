/** What makes two runs comparable at all: the chunk length and the classifier model (contract §6.8). */
export interface RunConfig {
  /** `-e/--expected-length` (300 or 500); null when nothing recorded it. */
  chunkLength: number | null
  /** Model identity, e.g. `500_model.pth` or the reference pipeline's model name; null when unknown. */
  model: string | null
}

export type Comparability =
  | { comparable: true; unknown: string[] }
  | { comparable: false; reason: string }

/** Paths differ between machines; the file name is what identifies a model. */
function modelKey(model: string): string {
  const parts = model.split(/[\\/]/)
  return parts[parts.length - 1] ?? model
}

/**
 * Refuses to compare runs made with a different chunk length or model: such a comparison shows ~93 % agreement
 * and looks like a divergence although both runs are right (contract §6.8). Unknown values are allowed but named.
 */
export function checkComparable(candidate: RunConfig, reference: RunConfig): Comparability {
  const unknown: string[] = []
  const differences: string[] = []
  if (candidate.chunkLength === null || reference.chunkLength === null) unknown.push('chunk length')
  else if (candidate.chunkLength !== reference.chunkLength) differences.push(`chunk length ${candidate.chunkLength} vs ${reference.chunkLength}`)
  if (candidate.model === null || reference.model === null) unknown.push('model')
  else if (modelKey(candidate.model) !== modelKey(reference.model)) differences.push(`model '${candidate.model}' vs '${reference.model}'`)
  if (differences.length > 0) {
    return {
      comparable: false,
      reason: `refusing to compare runs made with different settings (${differences.join(', ')}): the difference would look like a numerical divergence (contract §6.8); rerun the candidate with the reference's settings`,
    }
  }
  return { comparable: true, unknown }
}
