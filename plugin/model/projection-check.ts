import { z } from 'zod'

/** A held-out sample projected from the calibration sweep, then measured: the projection's own test. */
export const ProjectionCheckSchema = z.object({
  sample: z.string(),
  gpus: z.number().int().nonnegative(),
  projectedSeconds: z.number(),
  low: z.number(),
  high: z.number(),
  measuredSeconds: z.number(),
  /** (projected − measured) / measured. */
  errorFraction: z.number(),
  /** measured within [low, high]. */
  inside: z.boolean(),
  /** The calibration samples the projection was made from, and the interval's basis. */
  basis: z.string(),
})
export type ProjectionCheck = z.infer<typeof ProjectionCheckSchema>
