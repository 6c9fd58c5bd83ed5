/**
 * Shapes of the analysis results (zod is the source of truth; types are inferred). Pure: no I/O.
 * The report schema embeds these; the analysis functions return them.
 */
import { z } from 'zod'
import { StageGroupSchema, StageSchema } from '../model/stages.ts'

export const SummaryStatsSchema = z.object({
  n: z.number().int().nonnegative(),
  value: z.number(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  spread: z.number().nullable(),
  mad: z.number().nullable(),
  /** p75 − p25 (≥ 3 values; null otherwise or in reports older than this field). */
  iqr: z.number().nullable().default(null),
  /** Values hyperfine's modified z-score rule calls outliers (statistics.ts `outlierIndices`); kept in the median. */
  outliers: z.array(z.number()).default([]),
  /** "n=1"/"n=2" with too few values for a spread, "k outlier(s)" when some were flagged, else null. */
  flag: z.string().nullable(),
})

export const StagePointSchema = z.object({
  stage: StageSchema,
  group: StageGroupSchema,
  seconds: SummaryStatsSchema,
  /** Records into the stage (ORF frames for the embedding stages). */
  records: z.number().nullable(),
  recordsPerSecond: z.number().nullable(),
  modelLoadSeconds: z.number().nullable(),
})
export type StagePoint = z.infer<typeof StagePointSchema>

export const ScalingPointSchema = z.object({
  gpus: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
  wallSeconds: SummaryStatsSchema,
  stages: z.array(StagePointSchema),
  inputRecords: z.number().nullable(),
  orfFrames: z.number().nullable(),
  /** ORF frames / wall time (the unit the pipeline's ESM-2 throughput is quoted in). */
  sequencesPerSecond: z.number().nullable(),
  speedup: z.number().nullable(),
  efficiency: z.number().nullable(),
  /** Mean over the embedding stages, from `gpu.embedding`; null with the reason in `utilisationNote`. */
  embeddingUtilisationPercent: z.number().nullable(),
  utilisationNote: z.string().nullable(),
  samplingIntervalMs: z.number().nullable(),
  perGpu: z.array(
    z.object({
      gpu: z.number().int().nonnegative(),
      utilisationPercent: z.number(),
      memoryPeakMiB: z.number(),
      memoryMeanMiB: z.number(),
      memoryTotalMiB: z.number().nullable(),
    }),
  ),
  memoryPeakMiB: z.number().nullable(),
  memoryMeanMiB: z.number().nullable(),
  energyJPerSequence: z.number().nullable(),
  basis: z.string(),
})
export type ScalingPoint = z.infer<typeof ScalingPointSchema>

export const GroupSpeedupSchema = z.object({
  group: StageGroupSchema,
  gpus: z.number().int().positive(),
  seconds: z.number(),
  baselineSeconds: z.number(),
  speedup: z.number().nullable(),
})
export type GroupSpeedup = z.infer<typeof GroupSpeedupSchema>

export const ProjectedSpeedupSchema = z.object({
  gpus: z.number().int().positive(),
  speedup: z.number(),
  efficiency: z.number(),
  wallSeconds: z.number(),
  basis: z.string(),
})
export type ProjectedSpeedup = z.infer<typeof ProjectedSpeedupSchema>

export const AmdahlFitSchema = z.object({
  serialFraction: z.number(),
  points: z.array(z.object({ gpus: z.number(), speedup: z.number() })),
  /** Root-mean-square error of the fit over the measured speedups. */
  rmse: z.number(),
  basis: z.string(),
  projections: z.array(ProjectedSpeedupSchema),
})
export type AmdahlFit = z.infer<typeof AmdahlFitSchema>

export const ScalingAnalysisSchema = z.object({
  caseId: z.string(),
  points: z.array(ScalingPointSchema),
  groupSpeedups: z.array(GroupSpeedupSchema),
  amdahl: AmdahlFitSchema.nullable(),
  /** Why there is no Amdahl fit, when there is none. */
  amdahlNote: z.string().nullable(),
})
export type ScalingAnalysis = z.infer<typeof ScalingAnalysisSchema>

export const ProjectionVerdictSchema = z.enum(['within target', 'over target', 'undecided'])
export type ProjectionVerdict = z.infer<typeof ProjectionVerdictSchema>

export const StageProjectionSchema = z.object({
  /** A pipeline stage, or START_UP (wall time outside the stages). */
  stage: z.string(),
  seconds: z.number(),
  basis: z.string(),
})

export const ProjectionUncertaintySchema = z.object({
  /** Relative half-width at this projection: the interval is seconds × (1 ± halfWidth). */
  halfWidth: z.number(),
  /** The error model behind it: half-width = 2·√(absoluteSeconds² + (relative·seconds)²), at least 3 %. */
  absoluteSeconds: z.number().nonnegative().default(0),
  relative: z.number().nonnegative().default(0),
  basis: z.string(),
  leaveOneOut: z.array(z.object({ sample: z.string(), projectedSeconds: z.number(), measuredSeconds: z.number(), errorFraction: z.number() })),
  repeatSpread: z.number().nullable(),
})

export const ProjectionSchema = z.object({
  caseId: z.string(),
  sample: z.string(),
  sequenceCount: z.number(),
  gpus: z.number().int().nonnegative(),
  seconds: z.number(),
  hours: z.number(),
  /** The interval the projection claims, seconds. */
  low: z.number(),
  high: z.number(),
  basis: z.string(),
  assumptions: z.array(z.string()),
  /** Per-stage projected seconds, each with how it was obtained. */
  stages: z.array(StageProjectionSchema),
  uncertainty: ProjectionUncertaintySchema,
  /** What the cost model was fitted to. */
  calibration: z.object({ gpus: z.number().int().nonnegative(), samples: z.array(z.string()), target: z.string() }),
  target: z.object({ hours: z.number(), tolerance: z.number(), gpus: z.number().int().positive() }).nullable(),
  /** The interval against target × (1 + tolerance); null when this GPU count is not the target's. */
  verdict: ProjectionVerdictSchema.nullable(),
  /** verdict === 'within target'; null when this GPU count is not the target's. */
  withinTarget: z.boolean().nullable(),
  /** A real full-sample run, when one was measured: shown side by side with the projection. */
  measured: z.object({ wallSeconds: z.number(), hours: z.number(), source: z.string() }).nullable(),
})
export type Projection = z.infer<typeof ProjectionSchema>

export const NotEvaluatedSchema = z.object({
  check: z.string(),
  caseId: z.string().nullable(),
  reason: z.string(),
})
export type NotEvaluated = z.infer<typeof NotEvaluatedSchema>

export const CaseAnalysisSchema = z.object({
  caseId: z.string(),
  wallSeconds: SummaryStatsSchema.nullable(),
  scaling: ScalingAnalysisSchema.nullable(),
  projections: z.array(ProjectionSchema),
  notEvaluated: z.array(NotEvaluatedSchema),
})
export type CaseAnalysis = z.infer<typeof CaseAnalysisSchema>

/** 'running': a live rewrite while the suite goes on; 'interrupted': stopped before it ended (never a pass). */
export const SummaryStatusSchema = z.enum(['pass', 'pass-with-warnings', 'fail', 'running', 'interrupted'])
export type SummaryStatus = z.infer<typeof SummaryStatusSchema>

