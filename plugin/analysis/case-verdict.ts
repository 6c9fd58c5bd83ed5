/**
 * The one status of a case, derived in one place (pure): every report, the console summary and the suite's verdict
 * read it from here, so a case row cannot say "ok" under a failed verdict. A case that expects a fault passes when
 * the fault was caught as expected ("expected: fail, got: fail (caught)").
 */
import { z } from 'zod'
import type { CaseResult } from '../model/case-result.ts'

export const CaseVerdictSchema = z.object({
  state: z.enum(['pass', 'warn', 'fail', 'skipped']),
  /** For people: "✅ pass", "⚠️ 2 warnings", "❌ fail: verdict fail", "✅ expected: fail, got: fail (caught)". */
  label: z.string(),
  /** For cases with an expectation: what they expected and what they got. */
  expected: z.string().nullable(),
  got: z.string().nullable(),
  reason: z.string().nullable(),
})
export type CaseVerdict = z.infer<typeof CaseVerdictSchema>

export type VerdictInput = Pick<CaseResult, 'status' | 'error' | 'skipReasons' | 'comparisons' | 'expectation' | 'comparisonError'> & { warningCount: number }

function worstVerdict(c: VerdictInput): 'pass' | 'warn' | 'fail' | 'error' | null {
  if (c.comparisonError !== null) return 'error'
  if (c.comparisons.length === 0) return null
  if (c.comparisons.some((x) => x.verdict === 'fail')) return 'fail'
  return c.comparisons.some((x) => x.verdict === 'warn') ? 'warn' : 'pass'
}

/** The codes (or the comparison error's reason) the expectation names are what the case got; '' when they are. */
function missingNames(c: VerdictInput, expectation: NonNullable<VerdictInput['expectation']>): string {
  if (expectation.reason !== undefined) {
    return c.comparisonError?.startsWith(`comparison impossible (${expectation.reason})`) ? '' : `the comparison was not impossible for reason ${expectation.reason}`
  }
  const codes = new Set(c.comparisons.flatMap((x) => x.findings.map((f) => f.code)))
  if (expectation.findings === 'none') return codes.size === 0 ? '' : `findings ${[...codes].join(', ')} where none were expected`
  const missing = (expectation.findings ?? []).filter((code) => !codes.has(code))
  return missing.length === 0 ? '' : `no finding ${missing.join(', ')}`
}

function expectationVerdict(c: VerdictInput): CaseVerdict {
  const expectation = c.expectation
  if (expectation === null) throw new Error('expectationVerdict needs an expectation')
  const got = c.status === 'error' ? 'error' : worstVerdict(c)
  const expected = expectation.verdict
  if (got === null) return { state: 'fail', label: `❌ expected: ${expected}, got: nothing (no comparison was made)`, expected, got: null, reason: c.error }
  const missing = missingNames(c, expectation)
  if (got === expected && missing === '') {
    const how = expected === 'fail' || expected === 'error' ? 'caught' : 'as expected'
    return { state: 'pass', label: `✅ expected: ${expected}, got: ${got} (${how})`, expected, got, reason: null }
  }
  const reason = got !== expected ? `verdict ${got}, expected ${expected}` : missing
  return { state: 'fail', label: `❌ expected: ${expected}, got: ${got} (not caught: ${reason})`, expected, got, reason }
}

export function caseVerdict(c: VerdictInput): CaseVerdict {
  if (c.status === 'skipped') return { state: 'skipped', label: '⏭ skipped', expected: null, got: null, reason: c.skipReasons.join('; ') || null }
  if (c.expectation !== null) return expectationVerdict(c)
  if (c.status === 'error') return { state: 'fail', label: '❌ error', expected: null, got: null, reason: c.error }
  const worst = worstVerdict(c)
  if (worst === 'fail' || worst === 'error') {
    return { state: 'fail', label: `❌ fail: ${worst === 'error' ? 'comparison impossible' : 'verdict fail'}`, expected: null, got: null, reason: c.comparisonError ?? c.comparisons.flatMap((x) => x.findings).find((f) => f.verdict === 'fail')?.message ?? null }
  }
  if (worst === 'warn' || c.warningCount > 0) {
    const parts = [worst === 'warn' ? 'verdict warn' : null, c.warningCount > 0 ? `${c.warningCount} warning${c.warningCount === 1 ? '' : 's'}` : null].filter((p) => p !== null)
    return { state: 'warn', label: `⚠️ ${parts.join(', ')}`, expected: null, got: null, reason: null }
  }
  return { state: 'pass', label: '✅ pass', expected: null, got: null, reason: null }
}
