/** What a run left in its output folder, from the file names alone (contract §2 layout). Pure. */
import type { OutputInventory } from '../model/run-result.ts'

const NUCLEOTIDE = /_DNABERT_S\.pt$/
const PROTEIN = /_ESM\.pt$/
const MERGED = /_merged\.pt$/

/** Paths relative to the output folder (or absolute: only the base names and suffixes matter). */
export function inventoryFromPaths(paths: readonly string[]): OutputInventory {
  const names = new Set(paths)
  const count = (pattern: RegExp): number => paths.filter((p) => pattern.test(p)).length
  const done = paths.filter((p) => p.endsWith('.pt.done'))
  return {
    nucleotideFeatureFiles: count(NUCLEOTIDE),
    proteinFeatureFiles: count(PROTEIN),
    mergedFiles: count(MERGED),
    predictionFile: paths.some((p) => p.endsWith('prediction_results.txt')),
    consensusFile: paths.some((p) => p.endsWith('prediction_results_highestscore.csv')),
    doneMarkersWithoutFile: done.filter((p) => !names.has(p.slice(0, -'.done'.length))).length,
  }
}
