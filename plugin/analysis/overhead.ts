/**
 * The harness's own cost in a case: named spans of its work (preparing, reading a finished run, persisting) and
 * the case's time outside the pipeline processes. Pure: the caller times, this adds up.
 */
import type { HarnessOverhead, HarnessSpan } from '../model/case-result.ts'

/** Spans by name, in first-seen order; a span that repeats (per run) accumulates seconds and count. */
export class SpanLog {
  private readonly spans = new Map<string, HarnessSpan>()

  add(name: string, seconds: number): void {
    const current = this.spans.get(name)
    this.spans.set(name, { name, seconds: (current?.seconds ?? 0) + Math.max(0, seconds), count: (current?.count ?? 0) + 1 })
  }

  list(): HarnessSpan[] {
    return [...this.spans.values()].map((s) => ({ ...s }))
  }
}

export interface OverheadInput {
  caseStartedAtMs: number
  nowMs: number
  /** Wall seconds of every pipeline run of the case (warm-up included: it ran, it is not the harness's cost). */
  runWallSeconds: readonly number[]
  /** CPU seconds the harness's process used while runs were in flight. */
  inRunCpuSeconds: number
  spans: readonly HarnessSpan[]
}

export function summariseOverhead(input: OverheadInput): HarnessOverhead {
  const caseSeconds = Math.max(0, (input.nowMs - input.caseStartedAtMs) / 1000)
  const runSeconds = input.runWallSeconds.reduce((t, s) => t + s, 0)
  return {
    caseSeconds,
    runSeconds,
    perCaseSeconds: caseSeconds - runSeconds,
    inRunCpuSeconds: input.inRunCpuSeconds,
    inRunFraction: runSeconds > 0 ? input.inRunCpuSeconds / runSeconds : null,
    spans: [...input.spans],
  }
}
