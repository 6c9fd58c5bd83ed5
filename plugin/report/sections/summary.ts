/** The report's head: title, status, environment, counts and one row per case with its one status (case-verdict.ts). */
import { duration } from '../../analysis/format-numbers.ts'
import { orderFindings } from '../../analysis/run-diagnosis.ts'
import type { Report, ReportCase } from '../schema.ts'
import { table } from './markdown.ts'
import type { MarkdownSection } from './section.ts'
import { caseWallText } from './what-ran.ts'
import { environmentLine } from './environment-line.ts'

const STATUS_LINE: Record<Report['summary']['status'], string> = {
  pass: '✅ pass',
  'pass-with-warnings': '⚠️ pass with warnings',
  fail: '❌ fail',
  running: '⏳ running (cases so far)',
  interrupted: '⛔ interrupted',
}

export function statusLine(report: Report): string {
  return STATUS_LINE[report.summary.status]
}

export const headSection: MarkdownSection = (report) => [
  `# VirNucPro ${report.suite} report`,
  '',
  `**Status: ${statusLine(report)}**${report.complete || report.summary.status === 'running' ? '' : ' · ⏳ incomplete (crashed or interrupted: cases so far)'}`,
  '',
  `Environment: ${environmentLine(report)}`,
  '',
  `Created ${report.createdAt}.`,
  '',
]

/** The log findings of a case's runs in a few words: "log: dtype-mismatch ×18 (error), flash-attention-fallback ×100". */
function findingsNote(c: ReportCase): string {
  const counts = new Map<string, { n: number; error: boolean }>()
  for (const f of c.runs.flatMap((r) => orderFindings(r.logFindings))) {
    const seen = counts.get(f.code) ?? { n: 0, error: f.severity === 'error' }
    counts.set(f.code, { n: seen.n + f.count, error: seen.error })
  }
  if (counts.size === 0) return ''
  return `log: ${[...counts.entries()].map(([code, v]) => `${code} ×${v.n}${v.error ? ' (error)' : ''}`).join(', ')}`
}

export const summarySection: MarkdownSection = (report) => {
  const s = report.summary
  const lines = ['## Summary', '']
  if (report.cases.length === 0) return [...lines, 'Nothing ran: no benchmark or validation case finished.', '']
  lines.push(table(['Cases', 'Passed', 'Failed', 'Warnings', 'Skipped', 'Not evaluated'], [[s.cases, s.passed, s.failed, s.warnings, s.skipped, report.notEvaluated.length]]), '')
  lines.push(
    table(
      ['Case', 'Kind', 'Status', 'Runs', 'Wall time (measured outside the process)', 'Note'],
      report.cases.map((c) => [c.title, c.kind, c.verdict.label, c.runs.length, caseWallText(c), [c.verdict.reason ?? c.error ?? c.skipReasons.join('; '), findingsNote(c)].filter((t) => t !== '').join('; ')]),
    ),
    '',
  )
  const total = report.cases.reduce((t, c) => t + c.runs.reduce((u, r) => u + r.wallSeconds, 0), 0)
  if (total > 0) lines.push(`Pipeline runs took ${duration(total)} in all.`, '')
  return lines
}
