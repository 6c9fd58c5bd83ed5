/** The suite's one-word verdict. Pure: no I/O. */
import type { CaseResult } from '../model/case-result.ts'
import type { SummaryStatus } from './schema.ts'

export interface SuiteSummary {
  status: SummaryStatus
  cases: number
  failed: number
  warnings: number
  skipped: number
}

/** A case fails when it errored or one of its comparisons has verdict 'fail' (a wrong answer is never a warning). */
function caseFailed(c: Pick<CaseResult, 'status' | 'comparisons'>): boolean {
  return c.status === 'error' || c.comparisons.some((comparison) => comparison.verdict === 'fail')
}

/** `fail` if any case failed (or, in strict mode, any warning); `pass-with-warnings` if warnings; else `pass`. */
export function summariseSuite(cases: readonly Pick<CaseResult, 'status' | 'comparisons'>[], warningCount: number, strict: boolean): SuiteSummary {
  const failed = cases.filter(caseFailed).length
  const skipped = cases.filter((c) => c.status === 'skipped').length
  const status: SummaryStatus = failed > 0 || (strict && warningCount > 0) ? 'fail' : warningCount > 0 ? 'pass-with-warnings' : 'pass'
  return { status, cases: cases.length, failed, warnings: warningCount, skipped }
}
