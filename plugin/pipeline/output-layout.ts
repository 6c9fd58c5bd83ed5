import path from 'node:path'
import type { OutputLayout } from './target.ts'

/** `reads.fa` → `reads` (the pipeline names everything after the input's stem). */
export function inputStem(inputPath: string): string {
  const base = path.basename(inputPath)
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(0, dot) : base
}

/** The contract's layout (§2), shared by the reference pipeline, which mirrors it, and the real tool. */
export function contractOutputLayout(outputDir: string, inputPath: string, chunkLength: 300 | 500): OutputLayout {
  return contractLayoutForStem(outputDir, inputStem(inputPath), chunkLength)
}

/** Where the contract's state file lies in an output folder: the one fact that does not depend on the input's stem. */
export function contractStateFile(outputDir: string): string {
  return path.join(outputDir, '.checkpoints', 'pipeline_state.json')
}

/** The same layout for a folder whose input is known only by the stem its outputs carry (a folder opened as found). */
export function contractLayoutForStem(outputDir: string, stem: string, chunkLength: 300 | 500): OutputLayout {
  const at = (...parts: string[]): string => path.join(outputDir, ...parts)
  const mergedDir = at(`${stem}_merged`)
  return {
    outputDir,
    stem,
    chunkedFasta: at(`${stem}_chunked${chunkLength}.fa`),
    nucleotideFasta: at(`${stem}_nucleotide.fa`),
    proteinFasta: at(`${stem}_protein.faa`),
    nucleotideDir: at(`${stem}_nucleotide`),
    proteinDir: at(`${stem}_protein`),
    mergedDir,
    predictions: path.join(mergedDir, 'prediction_results.txt'),
    consensus: path.join(mergedDir, 'prediction_results_highestscore.csv'),
    stateFile: contractStateFile(outputDir),
    failedFiles: at('failed_files.txt'),
    dnabertGlobs: [`${stem}_nucleotide/output_*_DNABERT_S.pt`, `${stem}_nucleotide/output_*_DNABERT.pt`],
    // v2 with multi-GPU DNABERT names its ESM files `_DNABERT.pt` inside the protein folder [contract §2, infer].
    esmGlobs: [`${stem}_protein/output_*_ESM.pt`, `${stem}_protein/output_*_DNABERT.pt`],
    mergedGlobs: [`${stem}_merged/*_merged.pt`],
    esmV2Dir: at('esm_v2'),
  }
}
