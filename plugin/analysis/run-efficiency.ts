/**
 * Efficiency of a run's embedding stages against the calibrated GPU ceiling. Pure: the run, the model shapes of its
 * target and the calibration come in; StageEfficiency rows come out.
 */
import type { Calibration, StageEfficiency } from '../model/efficiency.ts'
import type { RunResult, StageTiming } from '../model/run-result.ts'
import type { Stage } from '../model/stages.ts'
import { stageEfficiency, virnucproPrecision } from './efficiency.ts'
import { inferencePhase } from './phases.ts'
import {
  DNABERT_S,
  ESM2_3B,
  REFERENCE_FULL_DNABERT,
  REFERENCE_FULL_ESM,
  REFERENCE_TINY_DNABERT,
  REFERENCE_TINY_ESM,
  tokenStatsFromTotals,
  type TransformerShape,
} from './flops.ts'

export interface EmbeddingShapes {
  NUCLEOTIDE_FEATURES: TransformerShape
  PROTEIN_FEATURES: TransformerShape
}

/** The model shapes a target runs: the reference pipeline's by model size, the real tool's published ones. */
export function embeddingShapes(target: RunResult['target'], modelSize: 'tiny' | 'full' | null): EmbeddingShapes {
  if (target.kind === 'virnucpro') return { NUCLEOTIDE_FEATURES: DNABERT_S, PROTEIN_FEATURES: ESM2_3B }
  return modelSize === 'tiny'
    ? { NUCLEOTIDE_FEATURES: REFERENCE_TINY_DNABERT, PROTEIN_FEATURES: REFERENCE_TINY_ESM }
    : { NUCLEOTIDE_FEATURES: REFERENCE_FULL_DNABERT, PROTEIN_FEATURES: REFERENCE_FULL_ESM }
}

function precisionOf(run: RunResult, stage: Stage): 'bf16' | 'fp16' | 'fp32' | 'tf32' {
  if (run.target.kind === 'virnucpro') return virnucproPrecision(stage, Math.max(1, run.gpuCount))
  return run.mode === 'vanilla' ? 'fp32' : 'bf16'
}

function inferenceOf(timing: StageTiming): { seconds: number; basis: string } | null {
  const phase = inferencePhase(timing.phases)
  return phase === null ? null : { seconds: phase.seconds, basis: phase.basis }
}

function efficiencyOf(run: RunResult, timing: StageTiming, shape: TransformerShape, calibration: Calibration | null): StageEfficiency | null {
  if (timing.durationSeconds === null || timing.durationSeconds <= 0) return null
  const sequences = timing.recordsOut ?? timing.recordsIn
  if (timing.tokens === null || sequences === null || sequences === 0) return null
  return stageEfficiency({
    stage: timing.stage,
    shape,
    tokens: tokenStatsFromTotals(timing.tokens, sequences),
    tokensSource: `token count in ${timing.source === 'state-file' ? 'pipeline_state.json' : "the pipeline's log"}`,
    stageSeconds: timing.durationSeconds,
    stageSecondsSource: timing.source === 'state-file' ? 'pipeline_state.json duration_seconds' : 'log line "completed in"',
    modelLoadSeconds: timing.modelLoadSeconds,
    inferencePhase: inferenceOf(timing),
    gpuCount: Math.max(1, run.gpuCount),
    precision: precisionOf(run, timing.stage),
    calibration,
    gpuName: run.environment.gpus[0]?.name ?? null,
  })
}

/** Rows for DNABERT-S and ESM-2 of a GPU run; empty for CPU runs (no ceiling to compare with). */
export function runEfficiency(run: RunResult, shapes: EmbeddingShapes, calibration: Calibration | null): StageEfficiency[] {
  if (run.device !== 'cuda') return []
  const rows: StageEfficiency[] = []
  for (const stage of ['NUCLEOTIDE_FEATURES', 'PROTEIN_FEATURES'] as const) {
    const timing = run.stages.find((s) => s.stage === stage)
    if (timing === undefined) continue
    const row = efficiencyOf(run, timing, shapes[stage], calibration)
    if (row !== null) rows.push(row)
  }
  return rows
}
