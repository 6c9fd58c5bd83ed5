import { z } from 'zod'

export const VERDICTS = ['pass', 'warn', 'fail'] as const
export const VerdictSchema = z.enum(VERDICTS)
export type Verdict = z.infer<typeof VerdictSchema>

/** Tensor comparison statistics for one stage (DNABERT-S, ESM-2, merged), numpy-allclose semantics. */
export const TensorStatsSchema = z.object({
  stage: z.enum(['dnabert', 'esm', 'merged']),
  vectors: z.number().int().nonnegative(),
  width: z.number().int().nonnegative(),
  elements: z.number().int().nonnegative(),
  maxAbsDiff: z.number(),
  maxRelDiff: z.number(),
  outsideTolerance: z.number().int().nonnegative(),
  outsidePercent: z.number(),
  vectorsOutside: z.number().int().nonnegative(),
  minCosine: z.number(),
  meanCosine: z.number(),
  nanCount: z.number().int().nonnegative(),
  infCount: z.number().int().nonnegative(),
  worst: z
    .object({ id: z.string(), index: z.number().int(), candidate: z.number(), reference: z.number(), bound: z.number() })
    .nullable(),
  /**
   * The cosine rule's figures (contract §6.6): how many vectors fall below the share threshold and below the floor,
   * and the lowest few. Null in comparisons made before it was recorded.
   */
  lowCosine: z
    .object({
      threshold: z.number(),
      below: z.number().int().nonnegative(),
      floor: z.number(),
      belowFloor: z.number().int().nonnegative(),
      lowest: z.array(z.object({ id: z.string(), cosine: z.number() })),
    })
    .nullable()
    .default(null),
})
export type TensorStats = z.infer<typeof TensorStatsSchema>
export type TensorStatsInput = z.input<typeof TensorStatsSchema>

/** What a diverging vector did downstream: its frame's label and score, and its chunk's consensus. */
export const DownstreamImpactSchema = z.object({
  stage: z.enum(['dnabert', 'esm', 'merged']),
  id: z.string(),
  cosine: z.number(),
  /** null when the frame has no prediction row on either side. */
  labelChanged: z.boolean().nullable(),
  referenceLabel: z.string().nullable(),
  candidateLabel: z.string().nullable(),
  /** |Δ score2| (virus score) of the frame; null when unknown. */
  scoreDelta: z.number().nullable(),
  chunk: z.string(),
  consensusChanged: z.boolean().nullable(),
})
export type DownstreamImpact = z.infer<typeof DownstreamImpactSchema>

export const PredictionStatsSchema = z.object({
  rows: z.number().int().nonnegative(),
  labelAgreement: z.number(),
  labelFlips: z.number().int().nonnegative(),
  /** Flips whose reference score lies within the score drift seen on frames that kept their label (see verdict.ts). */
  borderlineFlips: z.number().int().nonnegative(),
  maxScoreDiff: z.number(),
  meanScoreDiff: z.number(),
  /** Max |Δscore| over frames whose label agrees: the pipeline's own score noise. */
  agreeingMaxScoreDiff: z.number(),
})
export type PredictionStats = z.infer<typeof PredictionStatsSchema>

export const ConsensusStatsSchema = z.object({
  rows: z.number().int().nonnegative(),
  agreement: z.number(),
  disagreements: z.number().int().nonnegative(),
  /** Disagreeing chunks whose frames' only flips are borderline ones. */
  borderlineDisagreements: z.number().int().nonnegative(),
})
export type ConsensusStats = z.infer<typeof ConsensusStatsSchema>

export const FindingSchema = z.object({
  verdict: VerdictSchema,
  code: z.string(),
  message: z.string(),
})
export type Finding = z.infer<typeof FindingSchema>

/** The outcome of comparing one candidate output folder with a reference. */
export const ComparisonSchema = z.object({
  verdict: VerdictSchema,
  candidate: z.string(),
  reference: z.string(),
  tolerance: z.object({ rtol: z.number(), atol: z.number() }),
  tensors: z.array(TensorStatsSchema),
  predictions: PredictionStatsSchema.nullable(),
  consensus: ConsensusStatsSchema.nullable(),
  /** Why the verdict is what it is; for 'warn', the investigation (first diverging stage, label flips). */
  findings: z.array(FindingSchema),
  firstDivergingStage: z.string().nullable(),
  /** What the reference was: the vanilla run's description, or a stored reference's provenance; null when unknown. */
  referenceDescription: z.string().nullable().default(null),
  /** The lowest-cosine vectors and what each did to its frame's label and score and its chunk's consensus. */
  downstream: z.array(DownstreamImpactSchema).default([]),
})
export type Comparison = z.infer<typeof ComparisonSchema>
