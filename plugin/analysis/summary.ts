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

/** Where the suite stands: still running, stopped before its end, or done. */
export type SuiteProgress = 'complete' | 'running' | 'interrupted'

/**
 * `interrupted` if the suite was stopped or one of its runs was (an interrupted measurement is no pass);
 * `running` while it goes on; otherwise `fail` if any case failed (or, in strict mode, any warning);
 * `pass-with-warnings` if warnings; else `pass`.
 */
export function summariseSuite(
  cases: readonly (Pick<CaseResult, 'status' | 'comparisons'> & { runs?: readonly { outcome: string }[] })[],
  warningCount: number,
  strict: boolean,
  progress: SuiteProgress = 'complete',
): SuiteSummary {
  const failed = cases.filter(caseFailed).length
  const skipped = cases.filter((c) => c.status === 'skipped').length
  const runInterrupted = cases.some((c) => (c.runs ?? []).some((r) => r.outcome === 'interrupted'))
  const verdict: SummaryStatus = failed > 0 || (strict && warningCount > 0) ? 'fail' : warningCount > 0 ? 'pass-with-warnings' : 'pass'
  const status: SummaryStatus = progress === 'interrupted' || runInterrupted ? 'interrupted' : progress === 'running' ? 'running' : verdict
  return { status, cases: cases.length, failed, warnings: warningCount, skipped }
}
