/** The real-sample projection against the < 10 h on 4 GPUs target, with its basis and assumptions. */
import { fixed, percent } from '../../analysis/format-numbers.ts'
import { projectedTime, verdictText } from '../format-projection.ts'
import type { Report } from '../schema.ts'
import { table } from './markdown.ts'
import { caseTitle, type MarkdownSection } from './section.ts'

function projectionSection(report: Report): string[] {
  if (report.projections.length === 0) return []
  const rows = report.projections.map((p) => [
    caseTitle(report, p.caseId),
    p.sample,
    p.sequenceCount,
    p.gpus,
    projectedTime(p.seconds, p.low, p.high),
    p.measured ? `${fixed(p.measured.hours)} h` : '—',
    p.target ? `< ${p.target.hours} h ± ${percent(p.target.tolerance)} on ${p.target.gpus}` : '—',
    verdictText(p.verdict),
    p.basis,
  ])
  const first = report.projections[0]
  return [
    '## Real-sample projection',
    '',
    table(['Case', 'Sample', 'Sequences', 'GPUs', 'Projected', 'Measured', 'Target', 'Status', 'Basis'], rows),
    '',
    ...(first ? ['Assumptions:', '', ...first.assumptions.map((a) => `- ${a}`), ''] : []),
  ]
}

export const projectionSections: MarkdownSection = (report) => projectionSection(report)
