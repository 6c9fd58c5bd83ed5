/**
 * The one-screen summary printed when a suite ends (pure): status, each case with its one status and wall time,
 * warnings, log findings (errors first), failed-run diagnoses and where the reports are. Same figures as the report.
 */
import { diagnoseRun, orderFindings } from '../analysis/run-diagnosis.ts'
import type { Report } from './schema.ts'
import { caseWallText, gpuLabel } from './sections/what-ran.ts'
import type { WrittenReports } from './write-reports.ts'

const ICON: Record<Report['summary']['status'], string> = { pass: '✅', 'pass-with-warnings': '⚠️', fail: '❌', running: '⏳', interrupted: '⛔' }

function clip(text: string, width = 160): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text
}

export function consoleSummary(report: Report, written: Pick<WrittenReports, 'markdown' | 'json' | 'latestMarkdown' | 'latestJson' | 'charts'>, incompleteReason: string | null): string[] {
  const s = report.summary
  const lines = ['', `${ICON[s.status]} virnucpro ${report.suite}: ${s.status} (${s.cases} cases: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped; ${s.warnings} warnings)${incompleteReason === null ? '' : ` (incomplete: ${incompleteReason})`}`]
  if (report.cases.length === 0) lines.push('   nothing ran: no case reached the case store')
  for (const c of report.cases) {
    const note = c.verdict.state === 'skipped' ? ` — ${c.verdict.reason ?? 'skipped'}` : c.verdict.state === 'fail' && c.verdict.reason !== null ? ` — ${c.verdict.reason}` : ''
    lines.push(clip(`   ${c.verdict.label}  ${c.title}  [${caseWallText(c)}]${note}`, 220))
  }
  for (const w of report.warnings) lines.push(clip(`⚠ ${w.message} (measured ${w.measured ?? '—'}, target ${w.target}, ${w.shortfall}; ${w.basis})`, 220))
  const findings = report.cases.flatMap((c) => c.runs.flatMap((r) => orderFindings(r.logFindings).map((f) => ({ f, where: `${c.title}, ${r.mode} ${gpuLabel(r.gpuCount)}` }))))
  if (findings.length > 0) {
    lines.push(`   log findings (${findings.length}):`)
    for (const { f, where } of findings.slice(0, 12)) lines.push(clip(`   ${f.severity === 'error' ? '❌' : '⚠'} ${f.code} ×${f.count}${f.stage === null ? '' : ` in ${f.stage}`} (${where}): ${f.message}`))
    if (findings.length > 12) lines.push(`   … ${findings.length - 12} more in the report`)
  }
  for (const c of report.cases) {
    for (const r of c.runs) {
      if (r.outcome === 'succeeded' || r.command.includes('--inject')) continue
      lines.push(clip(`❌ ${c.title}, ${r.mode} ${gpuLabel(r.gpuCount)}: ${diagnoseRun(r).headline}`, 400))
    }
  }
  lines.push(`   report: ${written.latestMarkdown} (this run: ${written.markdown})`, `   json:   ${written.latestJson}`)
  lines.push(written.charts.length > 0 ? `   charts: ${written.charts.length} SVG file(s) beside the report` : '   charts: none (see the Charts section of the report for why)')
  return lines
}
