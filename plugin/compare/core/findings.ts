import { z } from 'zod'
import type { Finding, Verdict } from '../../model/validation.ts'

/** Stable finding codes: tests and reporters match on these, messages are for people. */
export const FINDING_CODES = [
  'merged-rows-mismatch',
  'width-mismatch',
  'duplicate-ids',
  'cross-stage-missing',
  'non-finite',
  'empty-outputs',
  'missing-output',
  'prediction-rows-mismatch',
  'prediction-misaligned',
  'consensus-mismatch',
  'log-failures',
  'nonzero-exit',
  'reference-missing-ids',
  'candidate-extra-ids',
  'tolerance',
  'label-flips',
  'borderline-flips',
  'consensus-disagreement',
  'score-diff',
  'numerical-variance',
  'first-divergence',
  'config-unknown',
  'unmatched-embeddings',
  'divergent-vectors',
  'empty-protein-frames',
] as const
export const FindingCodeSchema = z.enum(FINDING_CODES)
export type FindingCode = z.infer<typeof FindingCodeSchema>

export function finding(verdict: Verdict, code: FindingCode, message: string): Finding {
  return { verdict, code, message }
}

/** Numbers as people read them in a log: small ones in exponent form, others with 4 significant digits. */
export function fmtNum(x: number): string {
  if (x === 0) return '0'
  if (!Number.isFinite(x)) return String(x)
  const a = Math.abs(x)
  return a < 1e-3 || a >= 1e6 ? x.toExponential(2) : String(Number(x.toPrecision(4)))
}

export function fmtPercent(p: number): string {
  return `${p >= 99.99 && p < 100 ? p.toFixed(4) : p.toFixed(2)} %`
}
