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
  /**
   * The cosine rule for a tolerance miss to count as numerical variance (contract §6.6, the tool's own Phase 7 rule):
   * at least `minCosineSharePercent` of a stage's vectors reach `minCosine`, and every vector reaches `minCosineFloor`.
   * Evidence for the defaults: the real tool's v1 vs v2 paths (both FP16) on 95 frames gave one ESM-2 vector at
   * 0.998902 and 94 ≥ 0.999 with every label and consensus unchanged (max |Δscore| 0.0079): FP16 reduction-order
   * noise on one vector, which a rule of "every vector ≥ 0.999" failed. The stream race of §6.6 gave 0.1–0.3.
   */
  minCosine: z.number().min(-1).max(1).default(0.999),
  /** Share of vectors, percent, that must reach `minCosine`. 100 restores "every vector". */
  minCosineSharePercent: z.number().min(0).max(100).default(95),
  /** Every vector must reach this cosine, whatever the share. */
  minCosineFloor: z.number().min(-1).max(1).default(0.99),
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
