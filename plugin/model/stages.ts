import { z } from 'zod'

/** The pipeline's stage enum, in execution order (contract §2). */
export const STAGES = [
  'CHUNKING',
  'TRANSLATION',
  'NUCLEOTIDE_SPLITTING',
  'PROTEIN_SPLITTING',
  'NUCLEOTIDE_FEATURES',
  'PROTEIN_FEATURES',
  'FEATURE_MERGING',
  'PREDICTION',
  'CONSENSUS',
] as const
export const StageSchema = z.enum(STAGES)
export type Stage = z.infer<typeof StageSchema>

/** Telemetry names as they appear in the pipeline's log lines. Match logs on these, never on the stage number. */
export const STAGE_TITLES: Record<Stage, string> = {
  CHUNKING: 'Sequence Chunking',
  TRANSLATION: 'Six-Frame Translation',
  NUCLEOTIDE_SPLITTING: 'Nucleotide File Splitting',
  PROTEIN_SPLITTING: 'Protein File Splitting',
  NUCLEOTIDE_FEATURES: 'DNABERT-S Feature Extraction',
  PROTEIN_FEATURES: 'ESM-2 Feature Extraction',
  FEATURE_MERGING: 'Feature Merging',
  PREDICTION: 'Model Prediction',
  CONSENSUS: 'Consensus Scoring',
}

/** Summary groups used by reports: the CPU preparation stages are one group. */
export const STAGE_GROUPS = ['translation', 'dnabert', 'esm', 'merge', 'prediction', 'consensus'] as const
export const StageGroupSchema = z.enum(STAGE_GROUPS)
export type StageGroup = z.infer<typeof StageGroupSchema>

export const STAGE_GROUP_OF: Record<Stage, StageGroup> = {
  CHUNKING: 'translation',
  TRANSLATION: 'translation',
  NUCLEOTIDE_SPLITTING: 'translation',
  PROTEIN_SPLITTING: 'translation',
  NUCLEOTIDE_FEATURES: 'dnabert',
  PROTEIN_FEATURES: 'esm',
  FEATURE_MERGING: 'merge',
  PREDICTION: 'prediction',
  CONSENSUS: 'consensus',
}

export const STAGE_GROUP_TITLES: Record<StageGroup, string> = {
  translation: 'Chunking + translation + splitting',
  dnabert: 'DNABERT-S',
  esm: 'ESM-2',
  merge: 'Merge',
  prediction: 'Prediction',
  consensus: 'Consensus',
}

/** The stages the GPU-utilisation target is defined over. */
export const EMBEDDING_STAGES: readonly Stage[] = ['NUCLEOTIDE_FEATURES', 'PROTEIN_FEATURES']

export function stageFromTitle(title: string): Stage | undefined {
  return STAGES.find((stage) => STAGE_TITLES[stage] === title.trim())
}
