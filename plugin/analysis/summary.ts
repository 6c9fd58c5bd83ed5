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

/** Where the suite stands: still running, stopped before its end, or done. */
export type SuiteProgress = 'complete' | 'running' | 'interrupted'

/**
 * `interrupted` if the suite was stopped or one of its runs was (an interrupted measurement is no pass);
 * `running` while it goes on; otherwise `fail` if any case failed (or, in strict mode, any warning);
 * `pass-with-warnings` if warnings; else `pass`. Cases count by their one verdict (analysis/case-verdict.ts).
 */
export function summariseSuite(
  cases: readonly { verdict: Pick<CaseVerdict, 'state'>; runs?: readonly { outcome: string }[] }[],
  warningCount: number,
  strict: boolean,
  progress: SuiteProgress = 'complete',
): SuiteSummary {
  const failed = cases.filter((c) => c.verdict.state === 'fail').length
  const skipped = cases.filter((c) => c.verdict.state === 'skipped').length
  const passed = cases.filter((c) => c.verdict.state === 'pass' || c.verdict.state === 'warn').length
  const runInterrupted = cases.some((c) => (c.runs ?? []).some((r) => r.outcome === 'interrupted'))
  const verdict: SummaryStatus = failed > 0 || (strict && warningCount > 0) ? 'fail' : warningCount > 0 ? 'pass-with-warnings' : 'pass'
  const status: SummaryStatus = progress === 'interrupted' || runInterrupted ? 'interrupted' : progress === 'running' ? 'running' : verdict
  return { status, cases: cases.length, passed, failed, warnings: warningCount, skipped }
}
