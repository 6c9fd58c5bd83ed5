import { z } from 'zod'

/** One optimisation the pipeline says it uses, next to what the harness observed (contract §7: claims are claims). */
export const ClaimSchema = z.object({
  /** What is claimed: FlashAttention, reduced precision, sequence packing, persistent models, architecture. */
  topic: z.enum(['flash-attention', 'precision', 'packing', 'persistent-models', 'architecture']),
  /** The claim in the pipeline's words (first line that makes it). */
  claimed: z.string(),
  /** What the harness saw that bears on it, or null when it saw nothing either way. */
  observed: z.string().nullable(),
  /** consistent: evidence agrees; contradicted: evidence says otherwise (a warning finding); unverified: no evidence. */
  status: z.enum(['consistent', 'contradicted', 'unverified']),
  /** Where the evidence came from (log lines, recomputed figures, output dtype). */
  basis: z.string(),
})
export type Claim = z.infer<typeof ClaimSchema>

export const LeftoverProcessSchema = z.object({
  pid: z.number().int().positive(),
  command: z.string(),
  /** Seconds since the process started, when it was recorded (after the grace period). */
  ageSeconds: z.number().nonnegative().nullable(),
})
export type LeftoverProcess = z.infer<typeof LeftoverProcessSchema>

/** The settings that make two runs comparable (contract §6.8): recorded per run so a report can say what ran. */
export const EffectiveConfigSchema = z.object({
  model: z.string().nullable(),
  chunkLength: z.number().int().positive().nullable(),
  /** Where the values were read, e.g. "log `Model:` and `Expected length:` lines; pipeline_state.json pipeline_config". */
  source: z.string(),
})
export type EffectiveConfig = z.infer<typeof EffectiveConfigSchema>
