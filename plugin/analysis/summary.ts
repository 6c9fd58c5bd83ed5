/** The suite's one-word verdict, from the cases' own verdicts (case-verdict.ts). Pure: no I/O. */
import type { CaseVerdict } from './case-verdict.ts'
import type { SummaryStatus } from './schema.ts'

export interface SuiteSummary {
  status: SummaryStatus
  cases: number
  passed: number
  failed: number
  warnings: number
  skipped: number
}

/** `fail` if any case failed (or, in strict mode, any warning); `pass-with-warnings` if warnings; else `pass`. */
export function summariseSuite(cases: readonly { verdict: Pick<CaseVerdict, 'state'> }[], warningCount: number, strict: boolean): SuiteSummary {
  const failed = cases.filter((c) => c.verdict.state === 'fail').length
  const skipped = cases.filter((c) => c.verdict.state === 'skipped').length
  const passed = cases.filter((c) => c.verdict.state === 'pass' || c.verdict.state === 'warn').length
  const status: SummaryStatus = failed > 0 || (strict && warningCount > 0) ? 'fail' : warningCount > 0 ? 'pass-with-warnings' : 'pass'
  return { status, cases: cases.length, passed, failed, warnings: warningCount, skipped }
}
