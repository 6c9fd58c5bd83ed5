import { z } from 'zod'

/** An acceptance band: `target` is what we aim for, [min, max] what still counts as met. */
export const BandSchema = z.object({
  target: z.number(),
  min: z.number(),
  max: z.number().optional(),
})
export type Band = z.infer<typeof BandSchema>

/** Performance targets from the project brief; every one is a soft threshold unless strict mode is on. */
export const ThresholdsSchema = z.object({
  /** Real-sample wall time on `realSampleGpus` GPUs, hours: < 10 h, ±10 % (9–11 h acceptable). */
  realSampleHours: z.object({ gpus: z.number().int().positive(), target: z.number().positive(), tolerance: z.number().min(0) }),
  /** Speedup over one GPU per GPU count. */
  speedup: z.record(z.string().regex(/^\d+$/), BandSchema),
  /** Mean GPU utilisation over the embedding stages, percent. */
  embeddingUtilisationPercent: z.number().min(0).max(100),
})
export type Thresholds = z.infer<typeof ThresholdsSchema>

export const DEFAULT_THRESHOLDS: Thresholds = {
  realSampleHours: { gpus: 4, target: 10, tolerance: 0.1 },
  speedup: {
    '2': { target: 1.8, min: 1.6, max: 2.0 },
    '4': { target: 3.5, min: 3.0, max: 4.0 },
    '8': { target: 7.0, min: 6.0, max: 8.0 },
  },
  embeddingUtilisationPercent: 80,
}

/** A threshold miss: soft (a warning) unless strict mode is on. */
export const WarningSchema = z.object({
  code: z.string(),
  caseId: z.string().nullable(),
  metric: z.string(),
  measured: z.number().nullable(),
  target: z.string(),
  /** Human-readable shortfall, e.g. "0.42× short of 1.60× (26 %)". */
  shortfall: z.string(),
  /** How the measured value was obtained: measured, projected, sampled at N ms. */
  basis: z.string(),
  message: z.string(),
})
export type Warning = z.infer<typeof WarningSchema>
