import { z } from 'zod'

/**
 * How strict a comparison is. Defaults follow the project brief (numpy allclose rtol 1e-3, atol 1e-5) and the
 * "within numerical variance" band from contract §6.6/§6.7 (cosine ≥ 0.999, agreement ≥ 99.9 %).
 */
export const ComparisonOptionsSchema = z.object({
  /** Relative tolerance of |a − b| ≤ atol + rtol·|b|, b being the reference. */
  rtol: z.number().nonnegative().default(1e-3),
  /** Absolute tolerance of the same bound. */
  atol: z.number().nonnegative().default(1e-5),
  /** Every vector's cosine must reach this for a tolerance miss to count as numerical variance. */
  minCosine: z.number().min(-1).max(1).default(0.999),
  /** Per-frame label agreement, percent, needed for a 'warn' instead of a 'fail'. */
  minLabelAgreementPercent: z.number().min(0).max(100).default(99.9),
  /** Per-chunk consensus agreement, percent, needed for a 'warn' instead of a 'fail'. */
  minConsensusAgreementPercent: z.number().min(0).max(100).default(99.9),
  /**
   * Label flips of frames the reference itself scored within the candidate's observed score noise of 0.5 (and the
   * consensus disagreements they cause) count as numerical variance, not as disagreement, while they stay rare.
   */
  borderlineFlipsAreVariance: z.boolean().default(true),
  /** Above this share of frames, borderline flips count as real disagreement again: so many are not noise. */
  maxBorderlineFlipPercent: z.number().min(0).max(100).default(1),
  /** Absolute tolerance on prediction scores (score1/score2); a miss alone is numerical variance, not a failure. */
  scoreAtol: z.number().nonnegative().default(1e-4),
  /** Refuse runs whose chunk length or model differ (contract §6.8); turning this off is for experiments only. */
  requireSameConfig: z.boolean().default(true),
})
export type ComparisonOptions = z.infer<typeof ComparisonOptionsSchema>
export type ComparisonOptionsInput = z.input<typeof ComparisonOptionsSchema>

export function comparisonOptions(input: ComparisonOptionsInput = {}): ComparisonOptions {
  const parsed = ComparisonOptionsSchema.safeParse(input)
  if (!parsed.success) throw new Error(`invalid comparison options: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}
