import { z } from 'zod'
import { PhaseBasisSchema, PhaseNameSchema } from './phases.ts'
import { StageSchema } from './stages.ts'

/** One place the wall time went: a stage (CPU stages whole), a phase of an embedding stage, or time outside the stages. */
export const TimeItemSchema = z.object({
  /** e.g. "ESM-2 Feature Extraction · model-load", "Feature Merging", "outside the pipeline's stages". */
  label: z.string(),
  stage: StageSchema.nullable(),
  phase: PhaseNameSchema.nullable(),
  seconds: z.number().nonnegative(),
  /** Share of the run's measured wall time, percent. */
  percentOfWall: z.number().nonnegative(),
  /** Whether the GPUs can be busy in it: inference only; everything else is GPU-idle time with this cause. */
  gpuIdleCause: z.enum(['start-up', 'waiting for a model', 'waiting for the first batch', 'CPU stage', 'writes and tear-down', 'outside the stages']).nullable(),
  basis: z.union([PhaseBasisSchema, z.literal('pipeline_state.json'), z.literal('wall − Σ stages')]),
})
export type TimeItem = z.infer<typeof TimeItemSchema>

export const RunBottlenecksSchema = z.object({
  caseId: z.string(),
  runId: z.string(),
  mode: z.enum(['vanilla', 'optimised']),
  gpuCount: z.number().int().nonnegative(),
  /** What this run was: for vanilla, the tool's v1 path and its precision, the original pipeline, or the reference's vanilla mode. */
  whatRan: z.string(),
  wallSeconds: z.number(),
  /** Every place the time went, largest first. */
  items: z.array(TimeItemSchema),
  /** GPU-idle seconds by cause (Σ of the non-inference items), and the sampled all-GPUs-idle time for comparison. */
  gpuIdle: z.object({
    byCause: z.array(z.object({ cause: z.string(), seconds: z.number() })),
    attributedSeconds: z.number(),
    sampledNoneBusySeconds: z.number().nullable(),
  }),
  /** The pipeline's own `Bottlenecks:` line, as logged. */
  toolSays: z.array(z.object({ stage: z.string(), percent: z.number() })),
  /** Where the harness's reading differs from the tool's line, in words; empty when they agree or the tool said nothing. */
  disagreements: z.array(z.string()),
  /** The largest item that is not inference: what to optimise next. */
  next: z.string(),
})
export type RunBottlenecks = z.infer<typeof RunBottlenecksSchema>

/** Per stage (and embedding phase), the part that does not shrink with more GPUs, from runs at several GPU counts. */
export const SerialShareSchema = z.object({
  caseId: z.string(),
  gpuCounts: z.array(z.number().int().positive()),
  rows: z.array(
    z.object({
      label: z.string(),
      /** Median seconds at each GPU count, in `gpuCounts` order (null where not measured). */
      seconds: z.array(z.number().nullable()),
      /** Amdahl serial fraction of this item (0 = halves with 2× GPUs, 1 = does not shrink), least squares over the counts. */
      serialFraction: z.number().min(0).max(1),
      /** Seconds of this item that stay at any GPU count: serialFraction × its 1-GPU time. */
      serialSeconds: z.number().nonnegative(),
    }),
  ),
  basis: z.string(),
})
export type SerialShare = z.infer<typeof SerialShareSchema>

export const BottleneckAnalysisSchema = z.object({
  runs: z.array(RunBottlenecksSchema),
  serial: z.array(SerialShareSchema),
})
export type BottleneckAnalysis = z.infer<typeof BottleneckAnalysisSchema>
