/** Output checks of analysed runs (row counts, unique IDs, finite scores, counts against the logs), and their sources. */
import { table } from './markdown.ts'
import type { MarkdownSection } from './section.ts'

const ICON = { ok: '✅', warn: '⚠️', fail: '❌', 'not-checked': '—' } as const

export const outputChecksSection: MarkdownSection = (report) => {
  const lines: string[] = []
  for (const c of report.cases) {
    for (const run of c.runs) {
      if (run.outputChecks.length === 0) continue
      lines.push(`### ${c.title}`, '')
      if (c.id.startsWith('post-run--')) {
        lines.push(table(['Source', 'Used'], Object.entries(c.params).map(([k, v]) => [k, String(v)])), '')
      }
      lines.push(table(['Check', 'Status', 'Detail'], run.outputChecks.map((x) => [x.check, `${ICON[x.status]} ${x.status}`, x.detail])), '')
    }
  }
  return lines.length === 0 ? [] : ['## Output checks', '', ...lines]
}
