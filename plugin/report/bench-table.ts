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
  /** tinybench's figures, for benches that are not harness cases (micro-benchmarks of the harness's own code). */
  tinybench?: { meanMs: number; minMs: number; maxMs: number; samples: number; rmePercent: number } | null
}

/** A micro-benchmark (no harness case): tinybench's figures, its ± only when there is more than one sample. */
export function microBenchLines(title: string, rows: readonly BenchRow[]): string[] {
  const lines = [` ${title} (tinybench: time per call)`]
  for (const row of rows) {
    const t = row.tinybench
    if (row.state === 'skipped') lines.push(`   ↓ ${row.name}`)
    else if (t === undefined || t === null) lines.push(`   ${row.state === 'failed' ? '×' : '·'} ${row.name}: no result`)
    else {
      const spread = t.samples > 1 ? ` ±${t.rmePercent.toFixed(2)} %, min ${t.minMs.toFixed(2)} ms, max ${t.maxMs.toFixed(2)} ms` : ''
      lines.push(`   ${row.state === 'failed' ? '×' : '✓'} ${row.name}: mean ${t.meanMs.toFixed(2)} ms over ${t.samples} sample${t.samples === 1 ? '' : 's'}${spread}`)
    }
  }
  return lines
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
