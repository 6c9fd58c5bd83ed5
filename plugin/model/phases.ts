import { z } from 'zod'

/**
 * Where a stage's wall time went, in the order a model-backed stage passes through it: worker start-up, model load
 * (moving the weights to the GPU included), waiting for the first batch, inference, and tear-down (aggregation,
 * conversion, writes). CPU stages have none of these and get no phases.
 */
export const PHASE_NAMES = ['startup', 'model-load', 'waiting', 'inference', 'teardown'] as const
export const PhaseNameSchema = z.enum(PHASE_NAMES)
export type PhaseName = z.infer<typeof PhaseNameSchema>

/**
 * How a phase's two boundaries were found: both from log lines (or the state file's stage bounds) = `logged`; one
 * from the GPU samples (first/last sample above the busy threshold) = `sampled at N ms`; one assumed from the
 * neighbouring boundary because nothing marks it = `derived`.
 */
export const PhaseBasisSchema = z.union([z.literal('logged'), z.literal('derived'), z.string().regex(/^sampled at \d+ ms$/)])
export type PhaseBasis = z.infer<typeof PhaseBasisSchema>

export const StagePhaseSchema = z.object({
  name: PhaseNameSchema,
  seconds: z.number().nonnegative(),
  basis: PhaseBasisSchema,
  /** What the boundaries were, e.g. "`Loading ESM-2 model` → `ESM-2 ready` (worker 0)". */
  note: z.string().optional(),
})
export type StagePhase = z.infer<typeof StagePhaseSchema>
