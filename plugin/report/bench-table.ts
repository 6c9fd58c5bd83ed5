/**
 * The console's bench table in the harness's own figures (pure). Vitest's table shows tinybench statistics (hz,
 * p99, p999, ±rme) of the bench function's duration, which for a pipeline run includes sample preparation and
 * means nothing with one sample; this shows the runs the case store holds: wall time measured outside the process,
 * the pipeline's own total, and the outcome, so the console and the report agree.
 */
import { duration } from '../analysis/format-numbers.ts'
import { median } from '../analysis/statistics.ts'
import type { CaseResult } from '../model/case-result.ts'

export interface BenchRow {
  /** The bench task's name: "CPU", "1 GPU", "4 GPUs (skipped: …)". */
  name: string
  state: 'passed' | 'failed' | 'skipped' | 'pending'
}

/** "CPU" → 0, "4 GPUs" → 4; null for names the harness did not make. */
export function gpuCountOf(name: string): number | null {
  if (/^CPU\b/.test(name)) return 0
  const m = /^(\d+) GPUs?\b/.exec(name)
  return m?.[1] === undefined ? null : Number(m[1])
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

export function benchTableLines(title: string, stored: CaseResult | null, rows: readonly BenchRow[]): string[] {
  const header = ['', 'runs', 'wall (outside process)', 'min … max', "pipeline's own total", 'outcome']
  const body = rows.map((row) => {
    if (row.state === 'skipped') return [`↓ ${row.name}`, '', '', '', '', 'skipped']
    const count = gpuCountOf(row.name)
    const runs = stored?.runs.filter((r) => r.gpuCount === count && r.mode === 'optimised') ?? []
    if (runs.length === 0) return [`${row.state === 'failed' ? '×' : '·'} ${row.name}`, '0', '—', '', '', row.state === 'failed' ? 'failed (no run recorded)' : stored?.status === 'skipped' ? `skipped: ${stored.skipReasons.join('; ')}` : 'no run recorded']
    const walls = runs.map((r) => r.wallSeconds)
    const own = runs.map((r) => r.pipelineWallSeconds).filter((v): v is number => v !== null)
    const outcomes = [...new Set(runs.map((r) => r.outcome))].join(', ')
    return [
      `${row.state === 'failed' ? '×' : '✓'} ${row.name}`,
      String(runs.length),
      `${duration(median(walls))}${runs.length > 1 ? ' (median)' : ''}`,
      runs.length > 1 ? `${duration(Math.min(...walls))} … ${duration(Math.max(...walls))}` : '(one run)',
      own.length > 0 ? duration(median(own)) : '—',
      outcomes,
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]): string => `   ${cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ')}`.trimEnd()
  return [` ${title}`, line(header), ...body.map(line)]
}
