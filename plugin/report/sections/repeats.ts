/** Each GPU count's measured runs with their spread and outliers, warm-up runs apart; what the harness itself cost. */
import { duration, fixed, percent } from '../../analysis/format-numbers.ts'
import type { Report, ReportCase } from '../schema.ts'
import { orDash, table } from './markdown.ts'
import { caseTitle, type MarkdownSection } from './section.ts'

function repeatsSection(report: Report): string[] {
  const rows: (string | number)[][] = []
  const notes: string[] = []
  for (const c of report.cases) {
    for (const p of c.analysis.scaling?.points ?? []) {
      const w = p.wallSeconds
      const warmups = c.runs.filter((r) => r.warmup && r.gpuCount === p.gpus && r.outcome === 'succeeded')
      rows.push([
        caseTitle(report, c.id),
        p.gpus === 0 ? 'CPU' : p.gpus,
        w.n,
        duration(w.value),
        w.min === null || w.max === null ? `— (${w.flag ?? ''})` : `${fixed(w.min, 2)}–${fixed(w.max, 2)} s`,
        orDash(w.mad, (v) => `${fixed(v, 3)} s`),
        orDash(w.iqr, (v) => `${fixed(v, 3)} s`),
        w.outliers.length === 0 ? '—' : `⚠ ${w.outliers.map((v) => fixed(v, 2)).join(', ')} s`,
        warmups.length === 0 ? '—' : warmups.map((r) => `${fixed(r.wallSeconds, 2)} s`).join(', '),
      ])
    }
    for (const note of c.repeatNotes) notes.push(`- ${c.title}: ${note}`)
  }
  if (rows.length === 0) return []
  return [
    '## Repeats and noise',
    '',
    table(['Case', 'GPUs', 'Measured runs', 'Median', 'Min–max', 'MAD', 'IQR', 'Outliers (kept)', 'Warm-up (not in the median)'], rows),
    '',
    ...(notes.length > 0 ? ['Repeat policy decisions:', '', ...notes, ''] : []),
  ]
}

function overheadSection(report: Report): string[] {
  const cases = report.cases.filter((c) => c.overhead !== null && c.runs.length > 0)
  if (cases.length === 0) return []
  const rows = cases.map((c) => {
    const o = c.overhead as NonNullable<ReportCase['overhead']>
    const top = [...o.spans].sort((a, b) => b.seconds - a.seconds).slice(0, 4)
    return [
      c.title,
      c.runs.length,
      `${fixed(o.caseSeconds, 1)} s`,
      `${fixed(o.runSeconds, 1)} s`,
      `${fixed(o.perCaseSeconds, 1)} s`,
      `${fixed(o.inRunCpuSeconds, 2)} s${o.inRunFraction === null ? '' : ` (${percent(o.inRunFraction, 1)})`}`,
      top.map((s) => `${s.name} ${fixed(s.seconds, 2)} s${s.count > 1 ? ` (×${s.count})` : ''}`).join('; '),
    ]
  })
  return [
    "## The harness's own overhead",
    '',
    table(['Case', 'Runs', 'Case wall', 'Pipeline runs (Σ wall)', 'Outside the pipeline', 'Harness CPU during runs', 'Largest spans'], rows),
    '',
    'Case wall is from the case being declared to its last persist; "outside the pipeline" is case wall − Σ run wall (preparing, reading finished runs, persisting). Harness CPU during runs is the worker\'s CPU time (GPU sampler, state poller, log follower, post-run reading) over Σ run wall. Spans are timed with the harness\'s clock; the last persist cannot time itself.',
    '',
  ]
}

export const repeatsSections: MarkdownSection = (report) => repeatsSection(report)
export const overheadSections: MarkdownSection = (report) => overheadSection(report)
