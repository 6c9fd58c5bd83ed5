/** What one case accumulates while it runs: its runs, comparisons, skip reasons and error. No I/O. */
import type { CaseKind, CaseResult } from '../model/case-result.ts'
import type { RunResult } from '../model/run-result.ts'
import type { ProjectionCheck } from '../model/projection-check.ts'
import type { Comparison } from '../model/validation.ts'

/** What a case is, independent of what it has gathered so far. */
export interface CaseIdentity {
  id: string
  title: string
  file: string
  kind: CaseKind
  params: CaseResult['params']
  /** What a fault case expects (an injected fault must be caught), or null for an ordinary case. */
  expectation: CaseResult['expectation']
}

export class CaseRecord {
  readonly startedAtMs: number
  private readonly runList: RunResult[] = []
  private readonly comparisons: Comparison[] = []
  private readonly projectionChecks: ProjectionCheck[] = []
  private readonly skipReasons: string[] = []
  private failure: string | null = null
  private comparisonFailure: string | null = null

  constructor(
    readonly identity: CaseIdentity,
    now: () => number = Date.now,
  ) {
    this.startedAtMs = now()
  }

  /** The runs so far, measured and warm-up (for the repeat policy). */
  get runs(): readonly RunResult[] {
    return this.runList
  }

  get error(): string | null {
    return this.failure
  }

  addRun(run: RunResult): void {
    this.runList.push(run)
  }

  addComparison(comparison: Comparison): void {
    this.comparisons.push(comparison)
  }

  addProjectionCheck(check: ProjectionCheck): void {
    this.projectionChecks.push(check)
  }

  /** Why part of the case is not measured here; each reason once. */
  noteSkip(reason: string): void {
    if (!this.skipReasons.includes(reason)) this.skipReasons.push(reason)
  }

  fail(message: string): void {
    this.failure = message
  }

  /** The comparison could not be made; for a fault case that may be the expected outcome, so it is not an error. */
  noteComparisonError(message: string): void {
    this.comparisonFailure = message
  }

  /** The case as it stands, not yet evaluated against the thresholds (`warnings` empty). */
  result(sample: CaseResult['sample'], endedAtMs: number = Date.now()): CaseResult {
    return {
      ...this.identity,
      status: this.failure !== null ? 'error' : this.runList.length === 0 && this.comparisons.length === 0 ? 'skipped' : 'ok',
      error: this.failure,
      skipReasons: [...this.skipReasons],
      sample,
      runs: [...this.runList],
      comparisons: [...this.comparisons],
      ...(this.projectionChecks.length === 0 ? {} : { projectionChecks: [...this.projectionChecks] }),
      warnings: [],
      comparisonError: this.comparisonFailure,
      // The session adds the harness's own cost and the repeat decisions (it measures them).
      overhead: null,
      repeatNotes: [],
      startedAtMs: this.startedAtMs,
      endedAtMs,
    }
  }
}
